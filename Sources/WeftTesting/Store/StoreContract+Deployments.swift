import Foundation
import Testing
import WeftEngine
import WeftModel

extension StoreContract {
    /// The `DeploymentStore` part of the contract; each case fails when the store is not a `DeploymentStore`.
    static let deploymentCases: [StoreContractCase] = [
        StoreContractCase("a deployment is kept per flow, replaced on redeploy and removed on undeploy") { store in
            let deployments = try #require(store as? any DeploymentStore, "the store is not a DeploymentStore")
            #expect(try await deployments.deployments() == [])
            for id in ["flw_b", "flw_a"] {
                _ = try await store.saveFlow(id: id, name: "flow \(id)", owner: nil, categories: [], tags: [],
                                             document: ["name": .string(id)], author: nil)
            }
            let first = DeploymentRecord(flowId: "flw_b", version: 1, targets: [["connector": "aws-prod", "regions": ["eu-west-1"]]],
                                         deployedBy: "u-1", deployedAt: ms(1_700_000_000.250))
            try await deployments.deploy(first)
            #expect(try await deployments.deployment(flowId: "flw_b") == first)
            #expect(try await deployments.deployment(flowId: "flw_a") == nil)

            let other = DeploymentRecord(flowId: "flw_a", version: 1, targets: awkwardJSON, deployedBy: nil,
                                         deployedAt: ms(1_700_000_001.001))
            try await deployments.deploy(other)
            var replaced = first
            replaced.targets = []
            replaced.deployedBy = "u-2"
            replaced.deployedAt = ms(1_700_000_002.999)
            try await deployments.deploy(replaced)
            #expect(try await deployments.deployments() == [other, replaced])

            #expect(try await deployments.undeploy(flowId: "flw_b") == true)
            #expect(try await deployments.undeploy(flowId: "flw_b") == false)
            #expect(try await deployments.deployment(flowId: "flw_b") == nil)
            #expect(try await deployments.deployments() == [other])
        },

        StoreContractCase("deploying an unknown flow is not found; deleting a flow removes its deployment") { store in
            let deployments = try #require(store as? any DeploymentStore, "the store is not a DeploymentStore")
            let ghost = DeploymentRecord(flowId: "flw_ghost", version: 1, targets: [], deployedBy: nil, deployedAt: ms(1_700_000_000))
            await #expect(throws: StoreError.notFound(kind: "flow", id: "flw_ghost")) { try await deployments.deploy(ghost) }
            #expect(try await deployments.deployments() == [])

            _ = try await store.saveFlow(id: "flw_1", name: "one", owner: nil, categories: [], tags: [], document: [:], author: nil)
            try await deployments.deploy(DeploymentRecord(flowId: "flw_1", version: 1, targets: [], deployedBy: nil,
                                                          deployedAt: ms(1_700_000_000)))
            try await store.deleteFlow(id: "flw_1")
            #expect(try await deployments.deployment(flowId: "flw_1") == nil)
            #expect(try await deployments.deployments() == [])
        },
    ]
}
