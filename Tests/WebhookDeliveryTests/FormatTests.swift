import Foundation
import Testing
@testable import WebhookDelivery

@Suite struct FormatTests {
    static let arn = "arn:aws:inspector2:us-east-1:123456789012:finding/abc"
    static func event(_ type: String, oldSeverity: String? = "HIGH", newSeverity: String? = "CRITICAL", oldStatus: String? = "ACTIVE", newStatus: String? = "ACTIVE") -> DeliveryEvent {
        DeliveryEvent(
            id: 42, type: type, findingArn: arn, resourceId: "i-0abc", resourceType: "AWS_EC2_INSTANCE", accountId: "123456789012",
            region: "us-east-1", oldStatus: oldStatus, newStatus: newStatus, oldSeverity: oldSeverity, newSeverity: newSeverity,
            changesJSON: #"{"severity":{"old":"HIGH","new":"CRITICAL"}}"#,
            dataJSON: #"{"title": "CVE-2024-1 - openssl", "findingArn": "\#(arn)", "inspectorScore": 9.8}"#,
            occurredAt: Date(timeIntervalSince1970: 1_700_000_000)
        )
    }

    func json(_ payload: WebhookPayload?) throws -> [String: Any] {
        let payload = try #require(payload)
        return try #require(try JSONSerialization.jsonObject(with: Data(payload.body)) as? [String: Any])
    }

    @Test func cloudEvent() throws {
        let payload = WebhookPayload.make(for: Self.event("finding.severity_changed"), format: .cloudEvents, routingKey: nil)
        #expect(payload?.contentType == "application/cloudevents+json")
        let body = try json(payload)
        #expect(body["specversion"] as? String == "1.0")
        #expect(body["id"] as? String == "42")
        #expect(body["source"] as? String == "inspector-sync")
        #expect(body["type"] as? String == "finding.severity_changed")
        #expect(body["subject"] as? String == Self.arn)
        #expect(body["time"] as? String == "2023-11-14T22:13:20Z")
        let data = try #require(body["data"] as? [String: Any])
        let finding = try #require(data["finding"] as? [String: Any])
        #expect(finding["inspectorScore"] as? Double == 9.8)
        #expect((data["previous"] as? [String: Any])?["severity"] as? String == "HIGH")
        #expect(((data["changes"] as? [String: Any])?["severity"] as? [String: Any])?["new"] as? String == "CRITICAL")
    }

    @Test func coverageCloudEventHasResourceSubject() throws {
        let event = DeliveryEvent(id: 7, type: "coverage.added", resourceId: "i-0abc", resourceType: "AWS_EC2_INSTANCE", scanType: "PACKAGE",
                                  accountId: "123456789012", region: "eu-west-1", dataJSON: #"{"resourceId":"i-0abc"}"#, occurredAt: Date())
        let body = try json(WebhookPayload.make(for: event, format: .cloudEvents, routingKey: nil))
        #expect(body["subject"] as? String == "i-0abc")
        #expect(((body["data"] as? [String: Any])?["resource"] as? [String: Any])?["resourceId"] as? String == "i-0abc")
        #expect((body["data"] as? [String: Any])?["previous"] is NSNull)
    }

    @Test func slackMessage() throws {
        let body = try json(WebhookPayload.make(for: Self.event("finding.created", oldSeverity: nil, oldStatus: nil), format: .slack, routingKey: nil))
        let text = try #require(body["text"] as? String)
        for part in ["CRITICAL", "CVE-2024-1 - openssl", "i-0abc", "123456789012", "console.aws.amazon.com/inspector/v2/home?region=us-east-1"] {
            #expect(text.contains(part), "\(part) missing from \(text)")
        }
        #expect((body["blocks"] as? [Any])?.count == 3)
    }

    @Test func pagerDutyActions() throws {
        let trigger = try json(WebhookPayload.make(for: Self.event("finding.created", oldSeverity: nil, oldStatus: nil), format: .pagerDuty, routingKey: "R0UT1NGKEY"))
        #expect(trigger["event_action"] as? String == "trigger")
        #expect(trigger["dedup_key"] as? String == Self.arn)
        #expect(trigger["routing_key"] as? String == "R0UT1NGKEY")
        #expect((trigger["payload"] as? [String: Any])?["severity"] as? String == "critical")
        let resolve = try json(WebhookPayload.make(for: Self.event("finding.closed", newStatus: "CLOSED"), format: .pagerDuty, routingKey: "K"))
        #expect(resolve["event_action"] as? String == "resolve")
        #expect(resolve["dedup_key"] as? String == Self.arn)
        #expect(resolve["payload"] == nil)
        for type in ["finding.suppressed", "finding.purged"] {
            #expect(PagerDutyFormat.action(for: Self.event(type)) == .resolve)
        }
        for type in ["finding.reopened", "finding.severity_changed"] {
            #expect(PagerDutyFormat.action(for: Self.event(type)) == .trigger)
        }
        // Lowered severity, score and fix changes, coverage: nothing to send.
        #expect(PagerDutyFormat.action(for: Self.event("finding.severity_changed", oldSeverity: "CRITICAL", newSeverity: "LOW")) == nil)
        #expect(WebhookPayload.make(for: Self.event("finding.fix_available_changed"), format: .pagerDuty, routingKey: "K") == nil)
    }

    @Test func jsonTextEscapes() {
        #expect(JSONText.object([("a\"b", .string("x\ny\u{1}")), ("n", .null), ("r", .raw("[1]"))]).serialized == #"{"a\"b":"x\ny\u0001","n":null,"r":[1]}"#)
    }
}
