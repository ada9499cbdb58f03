import Foundation

/// Maps wall-clock times of a time zone to instants, with Foundation's zone rules.
struct ZonedWallClock {
    /// How a wall-clock time exists in a zone.
    enum Resolution: Equatable {
        /// The wall time occurs once.
        case unique(Date)
        /// The wall time occurs twice (a backward transition): the two instants in order.
        case repeated(Date, Date)
        /// The wall time is skipped by a forward transition; `gapEnd` is the first instant after the gap.
        case skipped(gapEnd: Date)
    }

    let timeZone: TimeZone

    private func offset(_ seconds: Int) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The wall-clock time of `date`, in wall seconds (see `CivilCalendar`), rounded down to a second.
    func wallSeconds(of date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
    }

    /// The largest change of UTC offset within a day either side of `seconds` (an instant), in seconds.
    private func offsetSpread(around seconds: Int) -> Int {
        let offsets = [offset(seconds - 86_400), offset(seconds), offset(seconds + 86_400)]
        return offsets.max()! - offsets.min()!
    }

    /// The instants at which the wall time `wall` (wall seconds) occurs.
    func resolve(_ wall: Int) -> Resolution {
        let offsets = Set([offset(wall - 86_400), offset(wall), offset(wall + 86_400)])
        let candidates = offsets.map { wall - $0 }.sorted()
        let valid = candidates.filter { wall - offset($0) == $0 }
        if let first = valid.first, let last = valid.last {
            return first == last ? .unique(Self.date(first)) : .repeated(Self.date(first), Self.date(last))
        }
        var low = candidates.first!
        var high = candidates.last!
        let before = offset(low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == before { low = middle } else { high = middle }
        }
        return .skipped(gapEnd: Self.date(high))
    }

    private static func date(_ seconds: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The instants at which `schedule` fires for the matching wall time `wall`.
    private func firings(of schedule: CronSchedule, at wall: Int) -> [Date] {
        switch resolve(wall) {
        case .unique(let date): [date]
        case .repeated(let first, let second): schedule.isFixedTime ? [first] : [first, second]
        case .skipped(let gapEnd): schedule.isFixedTime ? [gapEnd] : []
        }
    }

    /// The earliest firing of `schedule` strictly after `date`.
    ///
    /// Wall times are scanned in order from the wall time of `date` less the nearby offset changes (a wall
    /// time before it can still occur later after a backward transition), and the scan continues past
    /// the first firing found by the nearby offset changes, since a repeated hour maps later wall times to
    /// earlier instants.
    func firstFiring(of schedule: CronSchedule, after date: Date) -> Date? {
        let afterSeconds = Int(date.timeIntervalSince1970.rounded(.down))
        var cursor = wallSeconds(of: date) - offsetSpread(around: afterSeconds)
        var best: Date?
        var searchEnd = Int.max
        while let wall = schedule.firstMatch(atOrAfter: cursor), wall <= searchEnd {
            for firing in firings(of: schedule, at: wall) where firing > date {
                if best == nil || firing < best! { best = firing }
            }
            if let best, searchEnd == .max {
                searchEnd = wall + offsetSpread(around: Int(best.timeIntervalSince1970))
            }
            cursor = wall + 60
        }
        return best
    }
}
