import FindingStore
import Foundation
import Inspector2Model
import SyncEngine
import Testing

/// Thousands of malformed ListFindings and ListCoverage bodies through what the sync runs on every
/// page: the raw splitter, the typed decoder, and the normalizers that make store records. None may
/// crash; each must give a value or an error that says what is wrong and where.
@Suite struct ResponseFuzzTests {
    struct Tally: CustomStringConvertible {
        var cases = 0, pagesSplit = 0, pagesDecoded = 0, elements = 0, normalized = 0, refused = 0
        var errors: [String: Int] = [:]
        var description: String {
            "\(cases) cases: \(pagesSplit) pages split (\(errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) refused), "
                + "\(pagesDecoded) decoded as typed pages, \(elements) elements: \(normalized) normalized, \(refused) refused with a reason"
        }
    }

    @Test func malformedFindingPagesNeverCrash() throws {
        let tally = try run(name: "findings", base: 0x1000_0000, count: 400, corpus: ResponseCorpus.findingPages, arrayKey: "findings") { raw, index, seed in
            do throws(FindingNormalizer.Failure) {
                let record = try FindingNormalizer.record(raw: raw, index: index, region: "us-east-1")
                #expect(!record.arn.isEmpty && !record.accountId.isEmpty, "seed \(seed)")
                return true
            } catch {
                #expect(!error.reason.isEmpty && error.description.contains("#\(index)"), "seed \(seed)")
                return false
            }
        } decode: { body in
            _ = try RawDecodedPage<Finding>.findings(from: Data(body))
        }
        print("fuzz ListFindings: \(tally)")
        // The mutations reach every outcome: refused pages, stored elements and refused elements.
        #expect(tally.pagesSplit > 0 && tally.errors.values.reduce(0, +) > 0)
        #expect(tally.normalized > 0 && tally.refused > 0)
    }

    @Test func malformedCoveragePagesNeverCrash() throws {
        let target = SyncTarget(accountId: "111122223333", region: "us-east-1")
        let tally = try run(name: "coverage", base: 0x2000_0000, count: 250, corpus: ResponseCorpus.coveragePages, arrayKey: "coveredResources") { raw, index, seed in
            do throws(FindingNormalizer.Failure) {
                let record = try CoverageNormalizer.record(raw: raw, index: index, target: target)
                #expect(!record.resourceId.isEmpty, "seed \(seed)")
                return true
            } catch {
                #expect(!error.reason.isEmpty, "seed \(seed)")
                return false
            }
        } decode: { body in
            _ = try RawDecodedPage<CoveredResource>.coveredResources(from: Data(body))
        }
        print("fuzz ListCoverage: \(tally)")
        #expect(tally.pagesSplit > 0 && tally.errors.values.reduce(0, +) > 0 && tally.normalized > 0)
    }

    func run(
        name: String, base: UInt64, count: Int, corpus: [[UInt8]], arrayKey: String,
        normalize: (Data, Int, UInt64) -> Bool, decode: ([UInt8]) throws -> Void
    ) throws -> Tally {
        var tally = Tally()
        for seed in FuzzBudget.seeds(base: base, count: count, regressions: FuzzRegressionSeeds.responses) {
            FuzzBudget.announce(name, seed)
            var random = SplitMix64(seed: seed)
            let body = JSONMutator.mutate(random.pick(corpus), using: &random)
            tally.cases += 1
            let page: RawJSONPage
            do {
                page = try RawJSONArraySplitter.split(Data(body), arrayKey: arrayKey)
            } catch {
                // A clear error: a code, and an offset inside the body (never its content).
                #expect((0...body.count).contains(error.offset), "seed \(seed): \(error)")
                tally.errors["\(error.code)", default: 0] += 1
                continue
            }
            tally.pagesSplit += 1
            do {
                try decode(body)
                tally.pagesDecoded += 1
            } catch let error as RawJSONError {
                #expect(error.code == .elementNotDecodable, "seed \(seed): the splitter accepted what the decoder refused: \(error)")
            }
            for index in 0..<page.count {
                tally.elements += 1
                if normalize(page.element(index), index, seed) { tally.normalized += 1 } else { tally.refused += 1 }
            }
        }
        return tally
    }
}
