import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    /// The `AuditStore` part of the contract; each case fails when the store is not an `AuditStore`.
    static let auditCases: [StoreContractCase] = [
        StoreContractCase("audit entries get sequences in append order and list newest first") { store in
            let audit = try #require(store as? any AuditStore, "the store is not an AuditStore")
            #expect(try await audit.auditEntries(limit: 10, before: nil) == [])
            let login = AuditRecord(at: ms(1_700_000_000.001), actorId: nil, actorName: nil, action: "login",
                                    target: "/api/v1/login", status: 401, details: ["user": "mallory", "remote": "127.0.0.1"])
            let save = AuditRecord(at: ms(1_700_000_000.500), actorId: "u-1", actorName: "ann ✓",
                                   action: "PUT /api/v1/flows/{id}", target: "/api/v1/flows/flw_1", status: 200)
            #expect(try await audit.appendAudit(login) == 1)
            #expect(try await audit.appendAudit(save) == 2)
            for index in 3...5 {
                #expect(try await audit.appendAudit(AuditRecord(at: ms(1_700_000_001), actorId: "u-1", actorName: "ann ✓",
                                                                action: "DELETE /api/v1/flows/{id}",
                                                                target: "/api/v1/flows/flw_\(index)", status: 204)) == index)
            }
            let newest = try await audit.auditEntries(limit: 2, before: nil)
            #expect(newest.map(\.sequence) == [5, 4])
            let older = try await audit.auditEntries(limit: 10, before: 3)
            var expectedLogin = login, expectedSave = save
            expectedLogin.sequence = 1
            expectedSave.sequence = 2
            #expect(older == [expectedSave, expectedLogin])
        },

        StoreContractCase("concurrent audit appends get distinct sequences without gaps") { store in
            let audit = try #require(store as? any AuditStore, "the store is not an AuditStore")
            let sequences = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await audit.appendAudit(AuditRecord(at: Date(), actorId: "u", actorName: "u", action: "POST /x",
                                                                target: "/x/\(index)", status: 201))
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(sequences.sorted() == Array(1...20))
        },
    ]
}
