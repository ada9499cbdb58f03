import Foundation
import Testing
import WeftEngine
import WeftJavaScript
import WeftModel
@testable import WeftNodes

/// A context whose sandbox pool is `pool`, with a secret variable.
func sandboxContext(_ pool: JavaScriptSandboxPool, input: [JSON] = [], nodeOutputs: [String: [JSON]] = [:]) -> NodeContext {
    var services = NodeServices()
    services.register(pool)
    return NodeContext(
        nodeId: "node-1234abcd-custom", nodeName: "Transform",
        execution: ExecutionInfo(id: "exec-1", runId: "run-1", connector: "local", region: "eu-west-2", startedAt: testStartedAt),
        variables: ["minSize": 2, "token": "s3cr3t-value"], input: Items(input), nodeOutputs: nodeOutputs.mapValues { Items($0) },
        secrets: SecretMasker(secretValues: ["s3cr3t-value"]), now: Date(timeIntervalSince1970: 1_714_558_830),
        services: services)
}

/// The `NodeError` `body` throws.
func nodeError(_ body: () async throws -> Void) async -> NodeError? {
    do {
        try await body()
    } catch let error as NodeError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
    }
    return nil
}

@Suite("Custom node and function conditions", .serialized)
struct CustomNodeTests {
    let pool = JavaScriptSandboxPool(size: 1)
    let items: [JSON] = [["id": "a", "size": 1], ["id": "b", "size": 5], ["id": "c", "size": 9]]

    @Test func transformsAllItems() async throws {
        let params: JSON = ["code": "return items.filter(i => i.size > weft.vars.minSize).map(i => ({ id: i.id, double: i.size * 2 }));"]
        let result = try await run(CustomNode.self, params, sandboxContext(pool, input: items))
        #expect(try result.items() == [["id": "b", "double": 10], ["id": "c", "double": 18]])
    }

    @Test func runsOncePerItemInEachMode() async throws {
        let params: JSON = ["mode": "each", "code": "if (item.size < 2) return; return { ...item, index, region: weft.execution.region };"]
        let result = try await run(CustomNode.self, params, sandboxContext(pool, input: items))
        #expect(try result.items() == [["id": "b", "size": 5, "index": 1, "region": "eu-west-2"],
                                       ["id": "c", "size": 9, "index": 2, "region": "eu-west-2"]])
    }

    @Test func readsNamedInputs() async throws {
        let params: JSON = [
            "inputs": ["owners": ["node": "owners"]],
            "code": "const byId = Object.fromEntries(inputs.owners.map(o => [o.id, o.owner])); return items.map(i => ({ id: i.id, owner: byId[i.id] ?? null }));",
        ]
        let context = sandboxContext(pool, input: items, nodeOutputs: ["owners": [["id": "a", "owner": "db"]]])
        let result = try await run(CustomNode.self, params, context)
        #expect(try result.items() == [["id": "a", "owner": "db"], ["id": "b", "owner": nil], ["id": "c", "owner": nil]])
    }

    @Test func logsConsoleLinesWithSecretsMasked() async throws {
        let params: JSON = ["code": "console.log('token', weft.vars.token); console.warn(items.length); return [];"]
        let context = sandboxContext(pool, input: items)
        _ = try await run(CustomNode.self, params, context)
        #expect(context.logs == ["[log] token *****", "[warn] 3"])
    }

    @Test func reportsASyntaxErrorWithLineAndColumn() async {
        let error = await nodeError {
            _ = try await run(CustomNode.self, ["code": "const a = 1;\nreturn a +* 2;"], sandboxContext(pool, input: items))
        }
        #expect(error?.code == "javascriptSyntax")
        #expect(error?.message.hasPrefix("node 'Transform': SyntaxError") == true)
        #expect(error?.message.contains("(line 2, column") == true)
    }

    @Test func reportsAnExceptionWithTheItemIndex() async {
        let error = await nodeError {
            _ = try await run(CustomNode.self, ["mode": "each", "code": "\nif (index === 2) throw new Error('bad item');\nreturn item;"],
                              sandboxContext(pool, input: items))
        }
        #expect(error?.code == "javascriptException")
        #expect(error?.message == "node 'Transform': Error: bad item (line 2, column 33)")
        #expect(error?.itemIndex == 2)
    }

    @Test func stopsAnEndlessLoopAtTheCPULimitAndCarriesOn() async throws {
        let error = await nodeError {
            _ = try await run(CustomNode.self, ["code": "while (true) {}", "limits": ["cpuSeconds": 0.2]], sandboxContext(pool, input: items))
        }
        #expect(error?.code == "cpuLimit")
        #expect(error?.message == "node 'Transform': the JavaScript exceeded its CPU time limit of 0.2 s; its sandbox process was stopped")
        let next = try await run(CustomNode.self, ["code": "return [items.length];"], sandboxContext(pool, input: items))
        #expect(try next.items() == [3])
    }

    @Test func stopsA2GBAllocationAtTheMemoryLimitAndCarriesOn() async throws {
        let error = await nodeError {
            _ = try await run(CustomNode.self, ["code": "const a = new Uint8Array(2 ** 31); a.fill(7); return [a[0]];",
                                                "limits": ["memoryMB": 200]], sandboxContext(pool, input: items))
        }
        #expect(error?.code == "memoryLimit")
        #expect(error?.message.contains("memory limit of 200 MB") == true)
        let next = try await run(CustomNode.self, ["code": "return [1];"], sandboxContext(pool))
        #expect(try next.items() == [1])
    }

    @Test func hasNoHostAccess() async throws {
        for code in ["return [require('fs')];", "return [process.env];", "return [fetch('http://127.0.0.1/')];",
                     "return [new XMLHttpRequest()];", "return [await import('fs')];"] {
            let error = await nodeError { _ = try await run(CustomNode.self, ["code": .string(code)], sandboxContext(pool)) }
            #expect(error?.code == "javascriptException", "\(code)")
            let next = try await run(CustomNode.self, ["code": "return [2];"], sandboxContext(pool))
            #expect(try next.items() == [2])
        }
    }

    @Test func rejectsLimitsOutsideTheServerRange() async {
        let error = await nodeError {
            _ = try await run(CustomNode.self, ["code": "return [];", "limits": ["cpuSeconds": 10_000]], sandboxContext(pool))
        }
        #expect(error?.code == "invalidParameter")
    }

    @Test func filtersWithAFunctionCondition() async throws {
        let params: JSON = [
            "conditions": [
                ["id": "c1", "type": "function", "code": "return item.size > ctx.vars.minSize;"],
                ["id": "c2", "type": "param", "key": "id", "operator": "!=", "value": "c"],
            ],
            "expression": "c1 && c2",
        ]
        let result = try await run(FilterNode.self, params, sandboxContext(pool, input: items))
        #expect(try result.items("main") == [items[1]])
        #expect(try result.items("rejected") == [items[0], items[2]])
        let first = try #require(result.trace?["items"]?.arrayValue?.first)
        #expect(first["conditions"]?.arrayValue?.first?["reason"] == "c1: function returned false → false")
    }

    @Test func explainsAFunctionThatThrows() async throws {
        let params: JSON = ["conditions": [["id": "c1", "type": "function", "code": "return item.tags.length > 0;"]]]
        let result = try await run(FilterNode.self, params, sandboxContext(pool, input: [["tags": []], ["id": 1]]))
        #expect(try result.items("rejected").count == 2)
        let reasons = result.trace?["items"]?.arrayValue?.compactMap { $0["conditions"]?.arrayValue?.first?["reason"]?.stringValue }
        #expect(reasons?[0] == "c1: function returned false → false")
        #expect(reasons?[1].hasPrefix("c1: function threw TypeError") == true)
    }

    @Test func controlsWithAFunctionCondition() async throws {
        let params: JSON = [
            "criteria": ["conditions": [["id": "c1", "type": "function", "code": "return weft.cidr.isPublic(item.cidr);"]]],
            "evidence": ["resourceId": "$.id"],
        ]
        let input: [JSON] = [["id": "open", "cidr": "0.0.0.0/0"], ["id": "private", "cidr": "10.0.0.0/8"]]
        let result = try await run(ControlNode.self, params, sandboxContext(pool, input: input))
        #expect(try result.items().map { $0["result"] } == ["FAIL", "PASS"])
        #expect(result.summary["failed"] == 1)
    }

    @Test func namesTheConditionWhoseFunctionDoesNotParse() async {
        let params: JSON = ["conditions": [["id": "c7", "type": "function", "code": "return item.a ===;"]]]
        let error = await nodeError { _ = try await run(FilterNode.self, params, sandboxContext(pool, input: items)) }
        #expect(error?.code == "javascriptSyntax")
        #expect(error?.message.hasPrefix("node 'Transform', condition c7: SyntaxError") == true)
    }

    @Test func validatesAFunctionConditionStatically() throws {
        var fields = ConditionFields(id: "c1", object: ["id": "c1", "type": "function", "code": "  "])
        #expect(FunctionCondition(fields: &fields) == nil)
        #expect(fields.problems.map(\.description) == ["condition c1: code must not be empty"])
        var missing = ConditionFields(id: "c2", object: ["id": "c2", "type": "function"])
        #expect(FunctionCondition(fields: &missing) == nil)
        #expect(missing.problems.map(\.description) == ["condition c2: code is required"])
    }
}
