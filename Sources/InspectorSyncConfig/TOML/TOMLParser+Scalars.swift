extension TOMLParser {
    /// Integers, floats, `inf`/`nan` and the four date-time forms all start here.
    mutating func parseNumberOrDateTime() throws(TOMLParseError) -> TOMLValue {
        let valueLine = line
        if looksLikeDate() || looksLikeTime() {
            return TOMLValue(.dateTime(try parseDateTime()), line: valueLine)
        }
        let start = position
        while let byte = peek(), Self.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") {
            position += 1
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        let startError = TOMLParseError(code: .invalidValue, line: line, column: column(of: start, lineStart: lineStart), message: "")
        func invalid(_ message: String) -> TOMLParseError {
            var copy = startError
            copy.message = message
            return copy
        }

        var unsigned = Substring(token)
        var negative = false
        if let first = unsigned.first, first == "+" || first == "-" {
            negative = first == "-"
            unsigned = unsigned.dropFirst()
        }
        if unsigned == "inf" { return TOMLValue(.float(negative ? -.infinity : .infinity), line: valueLine) }
        if unsigned == "nan" { return TOMLValue(.float(.nan), line: valueLine) }

        for (prefix, radix, name) in [("0x", 16, "hexadecimal"), ("0o", 8, "octal"), ("0b", 2, "binary")] where unsigned.hasPrefix(prefix) {
            guard token.first != "+", token.first != "-" else { throw invalid("\(name) integers cannot have a sign") }
            guard let digits = Self.digits(unsigned.dropFirst(2), radix: radix) else {
                throw invalid("invalid \(name) integer (digits, with single underscores between them)")
            }
            guard let value = UInt64(digits, radix: radix), value <= UInt64(Int64.max) else {
                throw invalid("integer does not fit in 64 bits")
            }
            return TOMLValue(.integer(Int64(value)), line: valueLine)
        }

        if unsigned.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
            return TOMLValue(.float(try parseFloat(unsigned, negative: negative, invalid: invalid)), line: valueLine)
        }

        guard let digits = Self.digits(unsigned, radix: 10) else {
            throw invalid("invalid number (integers are digits with single underscores between them; strings need quotes)")
        }
        guard digits == "0" || !digits.hasPrefix("0") else { throw invalid("leading zeros are not allowed in a decimal integer") }
        guard let value = Int64((negative ? "-" : "") + digits) else { throw invalid("integer does not fit in 64 bits") }
        return TOMLValue(.integer(value), line: valueLine)
    }

    private func parseFloat(
        _ text: Substring, negative: Bool, invalid: (String) -> TOMLParseError
    ) throws(TOMLParseError) -> Double {
        // float = int-part ( exp / frac [ exp ] ), each part digits with single underscores.
        let message = "invalid float (expected digits, an optional fraction and an optional exponent, like 3.14 or 1e-6)"
        var mantissa = text
        var exponent: Substring?
        if let index = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<index]
            exponent = text[text.index(after: index)...]
        }
        var integerPart = mantissa
        var fraction: Substring?
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fraction = mantissa[mantissa.index(after: dot)...]
        }
        guard let integerDigits = Self.digits(integerPart, radix: 10) else { throw invalid(message) }
        guard integerDigits == "0" || !integerDigits.hasPrefix("0") else { throw invalid("leading zeros are not allowed in a float") }
        var literal = (negative ? "-" : "") + integerDigits
        if let fraction {
            guard let fractionDigits = Self.digits(fraction, radix: 10) else { throw invalid(message) }
            literal += "." + fractionDigits
        }
        if var exponent {
            var sign = ""
            if let first = exponent.first, first == "+" || first == "-" {
                sign = String(first)
                exponent = exponent.dropFirst()
            }
            guard let exponentDigits = Self.digits(exponent, radix: 10) else { throw invalid(message) }
            literal += "e" + sign + exponentDigits
        }
        guard let value = Double(literal) else { throw invalid(message) }
        return value
    }

    /// The digits of `text` without underscores, or nil if it is empty, has a character outside
    /// the radix, or an underscore that is not between two digits.
    static func digits(_ text: Substring, radix: Int) -> String? {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else { return nil }
        var result = ""
        var previousUnderscore = false
        for character in text {
            if character == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard let digit = character.hexDigitValue, digit < radix, character.isASCII else { return nil }
            previousUnderscore = false
            result.append(character)
        }
        return result
    }

    // MARK: Date-times

    private func digitsAt(_ offset: Int, count: Int) -> Bool {
        (0..<count).allSatisfy { peek(offset + $0).map(Self.isDigit) ?? false }
    }

    private func looksLikeDate() -> Bool { digitsAt(0, count: 4) && peek(4) == UInt8(ascii: "-") }
    private func looksLikeTime() -> Bool { digitsAt(0, count: 2) && peek(2) == UInt8(ascii: ":") }

    private mutating func readNumber(_ count: Int, _ what: String) throws(TOMLParseError) -> Int {
        guard digitsAt(0, count: count) else { throw error(.invalidValue, "invalid date-time: expected \(count) digits for the \(what)") }
        var value = 0
        for offset in 0..<count { value = value * 10 + Int(bytes[position + offset] - UInt8(ascii: "0")) }
        position += count
        return value
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(TOMLParseError) {
        guard peek() == byte else { throw error(.invalidValue, "invalid date-time: expected \(what)") }
        position += 1
    }

    mutating func parseDateTime() throws(TOMLParseError) -> TOMLDateTime {
        var date: TOMLDateTime.LocalDate?
        var time: TOMLDateTime.LocalTime?
        var offset: Int?
        if looksLikeDate() {
            let year = try readNumber(4, "year")
            try expect(UInt8(ascii: "-"), "'-' after the year")
            let month = try readNumber(2, "month")
            try expect(UInt8(ascii: "-"), "'-' after the month")
            let day = try readNumber(2, "day")
            guard (1...12).contains(month) else { throw error(.invalidValue, "invalid date: month must be 01 to 12") }
            guard (1...Self.daysIn(month: month, year: year)).contains(day) else { throw error(.invalidValue, "invalid date: that month has no such day") }
            date = .init(year: year, month: month, day: day)
            let separator = peek()
            let timeFollows = separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
                || (separator == UInt8(ascii: " ") && digitsAt(1, count: 2) && peek(3) == UInt8(ascii: ":"))
            guard timeFollows else { return TOMLDateTime(date: date, time: nil, offsetMinutes: nil) }
            position += 1
        }
        let hour = try readNumber(2, "hour")
        try expect(UInt8(ascii: ":"), "':' after the hour")
        let minute = try readNumber(2, "minute")
        try expect(UInt8(ascii: ":"), "':' and seconds after the minute")
        let second = try readNumber(2, "second")
        guard hour < 24, minute < 60, second <= 60 else { throw error(.invalidValue, "invalid time: hour, minute or second out of range") }
        var nanosecond = 0
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let first = peek(), Self.isDigit(first) else { throw error(.invalidValue, "invalid time: expected digits after '.'") }
            var scale = 100_000_000
            while let byte = peek(), Self.isDigit(byte) {
                nanosecond += Int(byte - UInt8(ascii: "0")) * scale
                scale /= 10  // digits past nanoseconds are dropped
                position += 1
            }
        }
        time = .init(hour: hour, minute: minute, second: second, nanosecond: nanosecond)
        if date != nil {
            if peek() == UInt8(ascii: "Z") || peek() == UInt8(ascii: "z") {
                position += 1
                offset = 0
            } else if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                position += 1
                let offsetHours = try readNumber(2, "offset hours")
                try expect(UInt8(ascii: ":"), "':' in the offset")
                let offsetMinutes = try readNumber(2, "offset minutes")
                guard offsetHours < 24, offsetMinutes < 60 else { throw error(.invalidValue, "invalid offset") }
                offset = (offsetHours * 60 + offsetMinutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            }
        }
        if let byte = peek(), Self.isBareKeyByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "+") {
            throw error(.invalidValue, "invalid date-time: unexpected character after it")
        }
        return TOMLDateTime(date: date, time: time, offsetMinutes: offset)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
