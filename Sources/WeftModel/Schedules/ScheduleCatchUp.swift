import Foundation

/// What a scheduler does with due times that passed while it was not running.
public enum ScheduleCatchUp: String, Sendable, Hashable, Codable, CaseIterable {
    /// Missed due times are skipped; the schedule resumes at its next due time.
    case none
    /// The most recent missed due time fires once; earlier missed ones are skipped.
    case one
}

extension ScheduleExpression {
    /// The latest firing in `(lowerBound, date]`, or nil when there is none.
    public func lastFiring(
        atOrBefore date: Date, after lowerBound: Date, in timeZone: TimeZone, anchor: Date? = nil
    ) -> Date? {
        guard lowerBound < date else { return nil }
        if case .rate(let seconds) = kind {
            let start = anchor ?? Date(timeIntervalSince1970: 0)
            let interval = TimeInterval(seconds)
            var k = (date.timeIntervalSince(start) / interval).rounded(.down)
            if start.addingTimeInterval(k * interval) > date { k -= 1 }
            let firing = start.addingTimeInterval(k * interval)
            return k >= 1 && firing > lowerBound ? firing : nil
        }
        var span: TimeInterval = 3600
        while true {
            let windowStart = max(lowerBound, date.addingTimeInterval(-span))
            if var latest = next(after: windowStart, in: timeZone, anchor: anchor), latest <= date {
                while let following = next(after: latest, in: timeZone, anchor: anchor), following <= date {
                    latest = following
                }
                return latest
            }
            if windowStart == lowerBound { return nil }
            span *= 2
        }
    }

    /// The due times missed between the last fired due time and `now` that a scheduler should fire now:
    /// none with `.none`; with `.one`, the latest due time in `(lastFired, now]`, if any.
    ///
    /// Pure: the caller records `lastFired` and then waits for `next(after: now, ...)`.
    public func missedFirings(
        lastFired: Date, now: Date, in timeZone: TimeZone, anchor: Date? = nil, catchUp: ScheduleCatchUp
    ) -> [Date] {
        switch catchUp {
        case .none: []
        case .one: lastFiring(atOrBefore: now, after: lastFired, in: timeZone, anchor: anchor).map { [$0] } ?? []
        }
    }
}

extension ScheduleExpression {
    /// The due times a scheduler checking at `now` should fire, oldest first.
    ///
    /// Only due times after `since` (when the schedule was switched on) and after `lastFired` (the
    /// latest due time already fired) count. Those in `(now − grace, now]` are on time and all fire;
    /// older ones were missed (the scheduler was down or late). Missed due times fire only when no due
    /// time is on time and `catchUp` is `.one`: then the latest missed one fires, once.
    ///
    /// Pure, and bounded however long the scheduler was down.
    public func dueFirings(
        since: Date, lastFired: Date?, now: Date, grace: TimeInterval, in timeZone: TimeZone, anchor: Date? = nil,
        catchUp: ScheduleCatchUp
    ) -> [Date] {
        let start = max(since, lastFired ?? since)
        guard start < now else { return [] }
        let onTimeStart = max(start, now.addingTimeInterval(-grace))
        var onTime: [Date] = []
        var cursor = onTimeStart
        while onTime.count < 1000, let firing = next(after: cursor, in: timeZone, anchor: anchor), firing <= now {
            onTime.append(firing)
            cursor = firing
        }
        guard onTime.isEmpty else { return onTime }
        return missedFirings(lastFired: start, now: onTimeStart, in: timeZone, anchor: anchor, catchUp: catchUp)
    }
}
