import Foundation
import Testing
import WeftModel

/// An instant written as an ISO 8601 UTC literal in the test.
private func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test literal \(text)") }
    return date
}

private func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
    return zone
}

private let gmt = zone("UTC")
private let newYork = zone("America/New_York")
private let berlin = zone("Europe/Berlin")

private func firings(
    _ expression: String, after: String, count: Int, in timeZone: TimeZone = gmt, anchor: String? = nil
) throws -> [Date] {
    try ScheduleExpression(expression).next(count, after: utc(after), in: timeZone, anchor: anchor.map(utc))
}

/// Runs `cron/aws_schedule_expression_validity.json` (expressions checked against AWS EventBridge).
@Suite struct AWSScheduleValidityTests {
    static let expectedCaseCount = 40

    static var suiteURL: URL { SharedTestSuites.url("cron/aws_schedule_expression_validity.json") }

    @Test func everyCaseAgreesWithAWS() throws {
        let url = Self.suiteURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            Issue.record("schedule validity suite not found at \(url.path): set WEFT_TESTSUITES to the shared testsuites folder")
            return
        }
        guard let cases = try JSON.parse([UInt8](Data(contentsOf: url))).arrayValue else {
            Issue.record("\(url.path) is not a JSON array")
            return
        }
        #expect(cases.count == Self.expectedCaseCount)
        var failures: [String] = []
        for testCase in cases {
            guard let expression = testCase["expression"]?.stringValue, let valid = testCase["valid"]?.boolValue else {
                failures.append("\(testCase["name"]?.stringValue ?? "?"): no expression or valid flag")
                continue
            }
            do {
                _ = try ScheduleExpression(expression)
                if !valid { failures.append("\(expression.debugDescription): accepted, AWS rejects it") }
            } catch {
                if valid { failures.append("\(expression.debugDescription): rejected (\(error)), AWS accepts it") }
            }
        }
        let passed = cases.count - failures.count
        #expect(failures.isEmpty, "aws validity \(passed)/\(cases.count); failing:\n\(failures.joined(separator: "\n"))")
    }
}

@Suite struct UnixCronTests {
    @Test func dailyAtThree() throws {
        // 10:00 on Jan 15 is past 03:00, so the next runs are 03:00 on the 16th and 17th.
        #expect(
            try firings("0 3 * * *", after: "2024-01-15T10:00:00Z", count: 2)
                == [utc("2024-01-16T03:00:00Z"), utc("2024-01-17T03:00:00Z")])
    }

    @Test func everyFifteenMinutes() throws {
        // From 10:07:30 the quarter hours follow: 10:15, 10:30, 10:45, 11:00.
        #expect(
            try firings("*/15 * * * *", after: "2024-01-15T10:07:30Z", count: 4)
                == ["10:15", "10:30", "10:45", "11:00"].map { utc("2024-01-15T\($0):00Z") })
    }

    @Test func firingIsStrictlyAfterTheGivenInstant() throws {
        #expect(try firings("0 12 * * *", after: "2024-01-01T12:00:00Z", count: 1) == [utc("2024-01-02T12:00:00Z")])
    }

    @Test func weekdayRangeWithNames() throws {
        // 2024-01-19 is a Friday; after its 09:00 the next weekday is Monday 2024-01-22.
        #expect(
            try firings("0 9 * * MON-FRI", after: "2024-01-19T10:00:00Z", count: 2)
                == [utc("2024-01-22T09:00:00Z"), utc("2024-01-23T09:00:00Z")])
    }

    @Test func sundayIsZeroAndSeven() throws {
        // 2024-01-01 is a Monday: the next Sunday is 2024-01-07.
        #expect(try firings("0 12 * * 7", after: "2024-01-01T00:00:00Z", count: 1) == [utc("2024-01-07T12:00:00Z")])
        #expect(try firings("0 12 * * 0", after: "2024-01-01T00:00:00Z", count: 1) == [utc("2024-01-07T12:00:00Z")])
    }

    @Test func monthNamesAreCaseInsensitiveLists() throws {
        // After Feb 2024 the first days of July and January at 06:30.
        #expect(
            try firings("30 6 1 JAN,jul *", after: "2024-02-01T00:00:00Z", count: 2)
                == [utc("2024-07-01T06:30:00Z"), utc("2025-01-01T06:30:00Z")])
    }

    @Test func restrictedDayFieldsAreOred() throws {
        // "the 13th or any Friday": Fridays of Jan 2024 are 5, 12, 19, 26; the 13th is a Saturday.
        #expect(
            try firings("0 0 13 * 5", after: "2024-01-01T00:00:00Z", count: 4)
                == ["05", "12", "13", "19"].map { utc("2024-01-\($0)T00:00:00Z") })
    }

    @Test func aStarredDayFieldIsAndedAsInVixieCron() throws {
        // Day-of-month starts with "*", so both fields must match: odd days (1, 3, ...) that are Mondays.
        // Mondays of Jan 2024: 1, 8, 15, 22, 29 (odd: 1, 15, 29); of Feb 2024: 5, 12, 19, 26 (odd: 5, 19).
        #expect(
            try firings("0 0 */2 * 1", after: "2024-01-01T00:00:00Z", count: 3)
                == [utc("2024-01-15T00:00:00Z"), utc("2024-01-29T00:00:00Z"), utc("2024-02-05T00:00:00Z")])
    }

    @Test func rangesWithSteps() throws {
        // Minutes 10-30 every 10 within hour 8, then the next day.
        #expect(
            try firings("10-30/10 8 * * *", after: "2024-01-01T00:00:00Z", count: 4)
                == [
                    utc("2024-01-01T08:10:00Z"), utc("2024-01-01T08:20:00Z"), utc("2024-01-01T08:30:00Z"),
                    utc("2024-01-02T08:10:00Z"),
                ])
    }

    @Test func wallClockOfTheTimeZone() throws {
        // 03:00 EST (UTC-5) on Jan 15 is 08:00 UTC; the search starts at Jan 14 19:00 EST.
        #expect(
            try firings("0 3 * * *", after: "2024-01-15T00:00:00Z", count: 1, in: newYork)
                == [utc("2024-01-15T08:00:00Z")])
        // 03:00 CET (UTC+1) on Jan 15 is 02:00 UTC.
        #expect(
            try firings("0 3 * * *", after: "2024-01-15T00:00:00Z", count: 1, in: berlin)
                == [utc("2024-01-15T02:00:00Z")])
    }
}

@Suite struct AWSCronTests {
    @Test func nthWeekday() throws {
        // Saturdays of Jan 2024: 6, 13, 20 (third: 20); Feb 1 2024 is a Thursday, Saturdays 3, 10, 17.
        #expect(
            try firings("cron(0 2 ? * SAT#3 *)", after: "2024-01-01T00:00:00Z", count: 2)
                == [utc("2024-01-20T02:00:00Z"), utc("2024-02-17T02:00:00Z")])
    }

    @Test func lastWeekdayOfMonthWithinYears() throws {
        // 2005-12-25 is a Sunday, so Friday Dec 30 is the last Friday of 2005; the years end at 2005.
        #expect(
            try firings("cron(15 10 ? * 6L 2002-2005)", after: "2005-11-30T00:00:00Z", count: 3)
                == [utc("2005-12-30T10:15:00Z")])
        #expect(try firings("cron(15 10 ? * 6L 2002-2005)", after: "2006-01-01T00:00:00Z", count: 1) == [])
    }

    @Test func weekdaysAreNumberedFromSunday() throws {
        // AWS day-of-week 1 is Sunday (2024-01-07); L alone is Saturday (2024-01-06).
        #expect(try firings("cron(0 0 ? * 1 *)", after: "2024-01-01T00:00:00Z", count: 1) == [utc("2024-01-07T00:00:00Z")])
        #expect(try firings("cron(0 0 ? * L *)", after: "2024-01-01T00:00:00Z", count: 1) == [utc("2024-01-06T00:00:00Z")])
    }

    @Test func lastDayOfMonth() throws {
        // 2024 is a leap year: Feb 29, then Mar 31, Apr 30.
        #expect(
            try firings("cron(0 8 L * ? *)", after: "2024-02-01T00:00:00Z", count: 3)
                == [utc("2024-02-29T08:00:00Z"), utc("2024-03-31T08:00:00Z"), utc("2024-04-30T08:00:00Z")])
    }

    @Test func nearestWeekday() throws {
        // Jun 15 2024 is a Saturday -> Friday Jun 14; Jul 15 2024 is a Monday; Sep 15 2024 is a Sunday -> Monday Sep 16.
        #expect(
            try firings("cron(0 9 15W * ? *)", after: "2024-06-01T00:00:00Z", count: 4)
                == [
                    utc("2024-06-14T09:00:00Z"), utc("2024-07-15T09:00:00Z"), utc("2024-08-15T09:00:00Z"),
                    utc("2024-09-16T09:00:00Z"),
                ])
        // Jun 1 2024 is a Saturday: 1W does not cross into May, it moves to Monday Jun 3.
        #expect(try firings("cron(0 9 1W 6 ? *)", after: "2024-05-01T00:00:00Z", count: 1) == [utc("2024-06-03T09:00:00Z")])
        // Aug 31 2024 is a Saturday: the last weekday of August is Friday Aug 30.
        #expect(try firings("cron(0 9 LW 8 ? *)", after: "2024-05-01T00:00:00Z", count: 1) == [utc("2024-08-30T09:00:00Z")])
    }

    @Test func stepsAndWeekdayRanges() throws {
        // 0, 30 past hours 0-2 on weekdays; 2024-01-19 is a Friday, 2024-01-22 the next Monday.
        #expect(
            try firings("cron(0/30 0-2 ? * MON-FRI *)", after: "2024-01-19T02:00:00Z", count: 2)
                == [utc("2024-01-19T02:30:00Z"), utc("2024-01-22T00:00:00Z")])
    }

    @Test func dayOfMonthWithQuestionMarkDayOfWeek() throws {
        #expect(
            try firings("cron(0 8 1 * ? *)", after: "2024-01-15T00:00:00Z", count: 2)
                == [utc("2024-02-01T08:00:00Z"), utc("2024-03-01T08:00:00Z")])
    }
}

@Suite struct RateTests {
    @Test func countsFromTheAnchor() throws {
        // Anchor 00:00: firings at 00:10, 00:20, 00:30, 00:40, ...
        #expect(
            try firings("rate(10 minutes)", after: "2024-01-01T00:25:00Z", count: 2, anchor: "2024-01-01T00:00:00Z")
                == [utc("2024-01-01T00:30:00Z"), utc("2024-01-01T00:40:00Z")])
        #expect(
            try firings("rate(10 minutes)", after: "2024-01-01T00:30:00Z", count: 1, anchor: "2024-01-01T00:00:00Z")
                == [utc("2024-01-01T00:40:00Z")])
    }

    @Test func firstFiringIsOneIntervalAfterTheAnchor() throws {
        #expect(
            try firings("rate(1 hour)", after: "2023-12-31T00:00:00Z", count: 1, anchor: "2024-01-01T00:00:00Z")
                == [utc("2024-01-01T01:00:00Z")])
    }

    @Test func defaultAnchorIsTheUnixEpoch() throws {
        // Multiples of 6 hours since 1970-01-01T00:00Z fall on 00, 06, 12, 18 UTC.
        #expect(try firings("rate(6 hours)", after: "2024-01-01T01:00:00Z", count: 1) == [utc("2024-01-01T06:00:00Z")])
    }

    @Test func daysAreFixedDurationsAcrossDST() throws {
        // 24 h steps from 12:00Z stay at 12:00Z although New York moves from UTC-5 to UTC-4 on Mar 10.
        #expect(
            try firings("rate(1 day)", after: "2024-03-09T12:00:00Z", count: 2, in: newYork, anchor: "2024-03-09T12:00:00Z")
                == [utc("2024-03-10T12:00:00Z"), utc("2024-03-11T12:00:00Z")])
    }
}

@Suite struct ScheduleDSTTests {
    // New York 2024: Mar 10 02:00 EST (07:00Z) jumps to 03:00 EDT; Nov 3 02:00 EDT (06:00Z) falls back to 01:00 EST.
    // Berlin 2024: Mar 31 02:00 CET (01:00Z) jumps to 03:00 CEST; Oct 27 03:00 CEST (01:00Z) falls back to 02:00 CET.

    @Test func newYorkSpringForwardRunsOnceAtTheEndOfTheGap() throws {
        // Mar 10 02:30 does not exist: it runs at 03:00 EDT = 07:00Z; Mar 11 02:30 EDT = 06:30Z.
        #expect(
            try firings("30 2 * * *", after: "2024-03-09T12:00:00Z", count: 2, in: newYork)
                == [utc("2024-03-10T07:00:00Z"), utc("2024-03-11T06:30:00Z")])
    }

    @Test func newYorkFallBackRunsOnceAtTheFirstOccurrence() throws {
        // Nov 3 01:30 EDT = 05:30Z runs; its repeat 01:30 EST = 06:30Z does not; Nov 4 01:30 EST = 06:30Z.
        #expect(
            try firings("30 1 * * *", after: "2024-11-02T12:00:00Z", count: 2, in: newYork)
                == [utc("2024-11-03T05:30:00Z"), utc("2024-11-04T06:30:00Z")])
        // Starting between the two occurrences (01:45 EDT = 05:45Z), the repeat is not fired either.
        #expect(
            try firings("30 1 * * *", after: "2024-11-03T05:45:00Z", count: 1, in: newYork)
                == [utc("2024-11-04T06:30:00Z")])
    }

    @Test func berlinSpringForwardRunsOnceAtTheEndOfTheGap() throws {
        // Mar 31 02:30 does not exist: 03:00 CEST = 01:00Z; Apr 1 02:30 CEST = 00:30Z.
        #expect(
            try firings("30 2 * * *", after: "2024-03-30T12:00:00Z", count: 2, in: berlin)
                == [utc("2024-03-31T01:00:00Z"), utc("2024-04-01T00:30:00Z")])
        #expect(
            try firings("cron(30 2 * * ? *)", after: "2024-03-30T12:00:00Z", count: 2, in: berlin)
                == [utc("2024-03-31T01:00:00Z"), utc("2024-04-01T00:30:00Z")])
    }

    @Test func berlinFallBackRunsOnce() throws {
        // Berlin repeats 02:00-02:59: Oct 27 02:30 CEST = 00:30Z runs, 02:30 CET = 01:30Z does not;
        // Oct 28 02:30 CET = 01:30Z.
        #expect(
            try firings("30 2 * * *", after: "2024-10-26T12:00:00Z", count: 2, in: berlin)
                == [utc("2024-10-27T00:30:00Z"), utc("2024-10-28T01:30:00Z")])
        // 01:30 is not repeated in Berlin: Oct 27 01:30 CEST = Oct 26 23:30Z, Oct 28 01:30 CET = 00:30Z.
        #expect(
            try firings("30 1 * * *", after: "2024-10-26T12:00:00Z", count: 2, in: berlin)
                == [utc("2024-10-26T23:30:00Z"), utc("2024-10-28T00:30:00Z")])
    }

    @Test func skippedTimesCollapseIntoOneFiring() throws {
        // 02:00 and 02:30 on Mar 10 both fall in the gap and fire once at 07:00Z; Mar 11 02:00 EDT = 06:00Z.
        #expect(
            try firings("0,30 2 * * *", after: "2024-03-10T06:00:00Z", count: 2, in: newYork)
                == [utc("2024-03-10T07:00:00Z"), utc("2024-03-11T06:00:00Z")])
        // 02:00 (skipped) and 03:00 EDT are the same instant, 07:00Z: one firing.
        #expect(
            try firings("0 2,3 * * *", after: "2024-03-10T06:00:00Z", count: 2, in: newYork)
                == [utc("2024-03-10T07:00:00Z"), utc("2024-03-11T06:00:00Z")])
    }

    @Test func wildcardHoursKeepTheirRhythmThroughFallBack() throws {
        // 01:30 EDT = 05:30Z, 01:00 EST = 06:00Z, 01:30 EST = 06:30Z, 02:00 EST = 07:00Z.
        #expect(
            try firings("*/30 * * * *", after: "2024-11-03T05:00:00Z", count: 4, in: newYork)
                == [
                    utc("2024-11-03T05:30:00Z"), utc("2024-11-03T06:00:00Z"), utc("2024-11-03T06:30:00Z"),
                    utc("2024-11-03T07:00:00Z"),
                ])
        // From between the occurrences (01:40 EDT = 05:40Z): 01:45 EDT = 05:45Z comes before 01:00 EST = 06:00Z.
        #expect(
            try firings("*/15 * * * *", after: "2024-11-03T05:40:00Z", count: 3, in: newYork)
                == [utc("2024-11-03T05:45:00Z"), utc("2024-11-03T06:00:00Z"), utc("2024-11-03T06:15:00Z")])
    }

    @Test func everyMinuteFiresEveryRealMinuteThroughBothTransitions() throws {
        // Wall-clock Nov 3 00:00 EDT (04:00Z) to Nov 4 00:00 EST (05:00Z) is 25 real hours: 1500 minutes.
        let fallBack = try firings("* * * * *", after: "2024-11-03T03:59:00Z", count: 1500, in: newYork)
        #expect(fallBack.first == utc("2024-11-03T04:00:00Z"))
        #expect(fallBack.last == utc("2024-11-04T04:59:00Z"))
        #expect(zip(fallBack, fallBack.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 })
        // Mar 10 00:00 EST (05:00Z) to Mar 11 00:00 EDT (04:00Z) is 23 real hours: 1380 minutes.
        let springForward = try firings("* * * * *", after: "2024-03-10T04:59:00Z", count: 1380, in: newYork)
        #expect(springForward.last == utc("2024-03-11T03:59:00Z"))
        #expect(zip(springForward, springForward.dropFirst()).allSatisfy { $1.timeIntervalSince($0) == 60 })
    }

    @Test func wildcardHoursSkipTheGap() throws {
        // 01:30 EST = 06:30Z; 02:00 and 02:30 do not exist; 03:00 EDT = 07:00Z, 03:30 EDT = 07:30Z.
        #expect(
            try firings("*/30 * * * *", after: "2024-03-10T06:00:00Z", count: 3, in: newYork)
                == [utc("2024-03-10T06:30:00Z"), utc("2024-03-10T07:00:00Z"), utc("2024-03-10T07:30:00Z")])
    }
}

@Suite struct ScheduleLeapYearTests {
    @Test func februaryTwentyNinth() throws {
        #expect(
            try firings("0 0 29 2 *", after: "2023-01-01T00:00:00Z", count: 2)
                == [utc("2024-02-29T00:00:00Z"), utc("2028-02-29T00:00:00Z")])
    }

    @Test func centuryYearsAreNotLeapUnlessDivisibleBy400() throws {
        // 2100 is not a leap year, so after 2096 the next Feb 29 is in 2104; 2000 was one.
        #expect(try firings("cron(0 0 29 2 ? *)", after: "2096-03-01T00:00:00Z", count: 1) == [utc("2104-02-29T00:00:00Z")])
        #expect(try firings("0 0 29 2 *", after: "1997-01-01T00:00:00Z", count: 1) == [utc("2000-02-29T00:00:00Z")])
    }

    @Test func lastDayOfFebruary() throws {
        #expect(
            try firings("cron(0 0 L 2 ? *)", after: "2023-03-01T00:00:00Z", count: 2)
                == [utc("2024-02-29T00:00:00Z"), utc("2025-02-28T00:00:00Z")])
    }

    @Test func impossibleDatesNeverFire() throws {
        #expect(try firings("0 0 30 2 *", after: "2024-01-01T00:00:00Z", count: 1) == [])
        #expect(try firings("cron(0 0 29 2 ? 2025-2027)", after: "2024-03-01T00:00:00Z", count: 1) == [])
    }
}

@Suite struct ScheduleInvalidExpressionTests {
    @Test(arguments: [
        ("cron(0 0 ? * 8 *)", "day-of-week: 8 is out of range 1-7"),
        ("60 * * * *", "minute: 60 is out of range 0-59"),
        ("0 24 * * *", "hour: 24 is out of range 0-23"),
        ("0 0 0 * *", "day-of-month: 0 is out of range 1-31"),
        ("0 0 * 13 *", "month: 13 is out of range 1-12"),
        ("0 0 * * 8", "day-of-week: 8 is out of range 0-7"),
        ("0 0 * * FOO", "day-of-week: \"FOO\" is not a number or a name (SUN-SAT)"),
        ("5-2 * * * *", "minute: range 5-2 runs backwards"),
        ("*/0 * * * *", "minute: step 0 must be at least 1"),
        ("0 0 ? * *", "day-of-month: ? is only allowed in AWS cron(...) expressions"),
        ("0 0 L * *", "day-of-month: \"L\" is not a number"),
        (
            "0 0 * *",
            "expected a 5-field cron expression (minute hour day-of-month month day-of-week), cron(...) or rate(...); found 4 fields"
        ),
        ("0 0,,1 * * *", "hour: empty item in list \"0,,1\""),
        ("cron(0 1 * * * *)", "day-of-week: one of day-of-month and day-of-week must be ?"),
        ("cron(0 1 ? * ? *)", "day-of-week: ? cannot be used in both day-of-month and day-of-week"),
        ("cron(0 0 ? * MON 1969)", "year: 1969 is out of range 1970-2199"),
        ("cron(0 0 ? * SAT#6 *)", "day-of-week: \"6\" in \"SAT#6\" is not an occurrence from 1 to 5"),
        ("cron(71 8 1 * ? *)", "minute: 71 is out of range 0-59"),
        ("cron(INVALID)", "cron(...) takes 6 fields (minutes hours day-of-month month day-of-week year); found 1"),
        ("rate(1 minutes)", "rate unit: a value of 1 takes \"minute\", not \"minutes\""),
        ("rate(10 hour)", "rate unit: a value of 10 takes \"hours\", not \"hour\""),
        ("rate(0 minutes)", "rate value: 0 is not a positive integer"),
        ("rate(10 seconds)", "rate unit: \"seconds\" is not one of minute, minutes, hour, hours, day, days"),
        (" rate(10 minutes)", "blanks before rate(...) are not allowed"),
    ])
    func rejectedWithAReason(expression: String, reason: String) {
        #expect(throws: ScheduleExpressionError.self) { try ScheduleExpression(expression) }
        do {
            _ = try ScheduleExpression(expression)
        } catch {
            #expect(error.description == reason)
        }
    }

    @Test func fieldIsReported() {
        do {
            _ = try ScheduleExpression("cron(0 0 ? * 8 *)")
            Issue.record("accepted")
        } catch {
            #expect(error.field == .dayOfWeek)
            #expect(error.reason == "8 is out of range 1-7")
        }
    }

    @Test func dialectIsDetected() throws {
        #expect(try ScheduleExpression("0 3 * * *").dialect == .cron)
        #expect(try ScheduleExpression("cron(0 3 * * ? *)").dialect == .awsCron)
        #expect(try ScheduleExpression("rate(6 hours)").dialect == .rate)
        #expect(try ScheduleExpression("rate(6 hours)").rateInterval == 21_600)
    }
}

@Suite struct ScheduleCatchUpTests {
    @Test func noneFiresNothing() throws {
        let hourly = try ScheduleExpression("0 * * * *")
        #expect(
            hourly.missedFirings(
                lastFired: utc("2024-01-01T03:00:00Z"), now: utc("2024-01-01T07:20:00Z"), in: gmt, catchUp: .none) == [])
    }

    @Test func oneFiresTheMostRecentMissedDueTime() throws {
        // Due at 04:00, 05:00, 06:00, 07:00 after the 03:00 firing; the most recent is 07:00.
        let hourly = try ScheduleExpression("0 * * * *")
        #expect(
            hourly.missedFirings(
                lastFired: utc("2024-01-01T03:00:00Z"), now: utc("2024-01-01T07:20:00Z"), in: gmt, catchUp: .one)
                == [utc("2024-01-01T07:00:00Z")])
        // Nothing was due between 03:00 and 03:30.
        #expect(
            hourly.missedFirings(
                lastFired: utc("2024-01-01T03:00:00Z"), now: utc("2024-01-01T03:30:00Z"), in: gmt, catchUp: .one) == [])
    }

    @Test func oneAfterALongOutage() throws {
        // Daily 03:00, down from Jan 1 to Jan 20 12:00: the most recent missed due time is Jan 20 03:00.
        let daily = try ScheduleExpression("0 3 * * *")
        #expect(
            daily.missedFirings(
                lastFired: utc("2024-01-01T03:00:00Z"), now: utc("2024-01-20T12:00:00Z"), in: gmt, catchUp: .one)
                == [utc("2024-01-20T03:00:00Z")])
        // Yearly on Jan 1, down from 2020 to mid 2024: 2024-01-01.
        let yearly = try ScheduleExpression("0 0 1 1 *")
        #expect(
            yearly.missedFirings(
                lastFired: utc("2020-01-01T00:00:00Z"), now: utc("2024-06-01T00:00:00Z"), in: gmt, catchUp: .one)
                == [utc("2024-01-01T00:00:00Z")])
    }

    @Test func oneWithARate() throws {
        // rate(10 minutes) from 00:00: due at 00:20 ... 01:00 after the 00:10 firing; most recent 01:00.
        let rate = try ScheduleExpression("rate(10 minutes)")
        #expect(
            rate.missedFirings(
                lastFired: utc("2024-01-01T00:10:00Z"), now: utc("2024-01-01T01:05:00Z"), in: gmt,
                anchor: utc("2024-01-01T00:00:00Z"), catchUp: .one) == [utc("2024-01-01T01:00:00Z")])
    }

    @Test func dueFiringsAreTheOnTimeOnesOrOneMissedOne() throws {
        let minutely = try ScheduleExpression("* * * * *")
        let deployed = utc("2024-01-01T00:00:30Z")
        func due(_ last: String?, _ now: String, _ catchUp: ScheduleCatchUp = .one) -> [Date] {
            minutely.dueFirings(since: deployed, lastFired: last.map(utc), now: utc(now), grace: 60, in: gmt, catchUp: catchUp)
        }
        #expect(due(nil, "2024-01-01T00:00:50Z") == [])
        #expect(due(nil, "2024-01-01T00:01:00Z") == [utc("2024-01-01T00:01:00Z")])
        #expect(due("2024-01-01T00:01:00Z", "2024-01-01T00:01:40Z") == [])
        // 00:02 is exactly one grace period old, so missed; 00:03 is on time.
        #expect(due("2024-01-01T00:01:00Z", "2024-01-01T00:03:00Z", .none) == [utc("2024-01-01T00:03:00Z")])
        // Every due time inside the grace window fires.
        #expect(minutely.dueFirings(since: deployed, lastFired: utc("2024-01-01T00:01:00Z"), now: utc("2024-01-01T00:03:00Z"),
                                    grace: 150, in: gmt, catchUp: .none) == [utc("2024-01-01T00:02:00Z"), utc("2024-01-01T00:03:00Z")])
        #expect(due("2024-01-01T00:01:00Z", "2024-01-01T00:02:30Z") == [utc("2024-01-01T00:02:00Z")])
        // Down from 00:01 to 00:10:30: 00:10 is on time, so nothing older is caught up.
        #expect(due("2024-01-01T00:01:00Z", "2024-01-01T00:10:30Z") == [utc("2024-01-01T00:10:00Z")])
        // Nothing before the schedule was switched on fires, even with catch-up.
        #expect(due(nil, "2024-01-01T00:00:31Z") == [])
        let daily = try ScheduleExpression("0 3 * * *")
        let lastFired = utc("2024-01-01T03:00:00Z")
        let now = utc("2024-01-05T03:20:00Z")
        #expect(daily.dueFirings(since: deployed, lastFired: lastFired, now: now, grace: 60, in: gmt, catchUp: .one)
            == [utc("2024-01-05T03:00:00Z")])
        #expect(daily.dueFirings(since: deployed, lastFired: lastFired, now: now, grace: 60, in: gmt, catchUp: .none) == [])
        // A schedule switched on after the missed due time does not catch it up.
        #expect(daily.dueFirings(since: utc("2024-01-05T03:10:00Z"), lastFired: lastFired, now: now, grace: 60, in: gmt,
                                 catchUp: .one) == [])
    }
}
