import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    /// The `TriggerStore` part of the contract; each case fails when the store is not a `TriggerStore`.
    static let triggerCases: [StoreContractCase] = [
        StoreContractCase("a firing is claimed once per source and due time, by whoever asks first") { store in
            let triggers = try #require(store as? any TriggerStore, "the store is not a TriggerStore")
            let due = ms(1_700_000_040.000)
            #expect(try await triggers.lastClaimedFiring(source: "flow:a") == nil)
            #expect(try await triggers.claimFiring(source: "flow:a", dueAt: due, claimant: "p1", claimedAt: ms(1_700_000_041)))
            #expect(try await !triggers.claimFiring(source: "flow:a", dueAt: due, claimant: "p2", claimedAt: ms(1_700_000_042)))
            #expect(try await triggers.claimFiring(source: "flow:b", dueAt: due, claimant: "p2", claimedAt: ms(1_700_000_042)))
            #expect(try await triggers.claimFiring(source: "flow:a", dueAt: ms(1_700_000_100.5), claimant: "p2",
                                                   claimedAt: ms(1_700_000_101)))
            #expect(try await triggers.claimFiring(source: "flow:a", dueAt: ms(1_699_999_000), claimant: "p2",
                                                   claimedAt: ms(1_700_000_102)))
            #expect(try await triggers.lastClaimedFiring(source: "flow:a") == ms(1_700_000_100.5))
        },

        StoreContractCase("concurrent claims of one firing: exactly one wins") { store in
            let triggers = try #require(store as? any TriggerStore, "the store is not a TriggerStore")
            let due = ms(1_700_000_060)
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for claimant in 0..<8 {
                    group.addTask {
                        try await triggers.claimFiring(source: "scan:c-1", dueAt: due, claimant: "p\(claimant)",
                                                       claimedAt: ms(1_700_000_061))
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        },

        StoreContractCase("events are stored as received and listed newest first") { store in
            let triggers = try #require(store as? any TriggerStore, "the store is not a TriggerStore")
            #expect(try await triggers.events(limit: 10) == [])
            let first = EventRecord(id: "evt-1", receivedAt: ms(1_700_000_000.001), via: "api", event: awkwardJSON)
            let second = EventRecord(id: "evt-2", receivedAt: ms(1_700_000_005.5), via: "webhook", connectorId: "c-1",
                                     event: ["source": "aws.s3", "detail": ["b": 1, "a": [true, .null]]],
                                     runIds: ["run-2", "run-1"])
            try await triggers.recordEvent(first)
            try await triggers.recordEvent(second)
            #expect(try await triggers.events(limit: 10) == [second, first])
            #expect(try await triggers.events(limit: 1) == [second])
            await expectConflict("a second event with a taken id") { try await triggers.recordEvent(first) }
        },
    ]
}
