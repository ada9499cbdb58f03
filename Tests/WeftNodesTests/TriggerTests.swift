import Testing
import WeftEngine
import WeftModel
@testable import WeftNodes

@Suite struct TriggerTests {
    @Test func outputsOneManualFiringAtTheExecutionStart() async throws {
        let result = try await run(TriggerNode.self, ["manual": true], makeContext())
        #expect(try result.items() == [["type": "manual", "firedAt": "2024-05-01T10:20:30.250Z"]])
    }

    @Test func defaultsFillAbsentParameters() throws {
        let parameters = try decode(TriggerNode.self, ["schedule": ["expression": "rate(6 hours)"], "event": [:], "scan": [:]])
        #expect(parameters.manual)
        #expect(parameters.schedule?.active == false)
        #expect(parameters.schedule?.timezone == "UTC")
        #expect(parameters.event?.provider == "aws")
        #expect(parameters.scan?.active == false)
    }

    @Test func keepsScheduleEventAndScanSettings() async throws {
        let params: JSON = [
            "manual": false,
            "schedule": ["active": true, "expression": "cron(0 3 * * ? *)", "timezone": "Europe/London"],
            "event": ["active": true, "provider": "aws", "pattern": ["source": ["aws.ec2"]]],
            "scan": ["active": true],
        ]
        let parameters = try decode(TriggerNode.self, params)
        #expect(parameters.schedule?.expression == "cron(0 3 * * ? *)")
        #expect(parameters.schedule?.timezone == "Europe/London")
        #expect(parameters.event?.pattern == ["source": ["aws.ec2"]])
        #expect(parameters.scan?.active == true)
        let result = try await TriggerNode.execute(parameters, context: makeContext())
        #expect(try result.items().count == 1)
    }

    @Test(arguments: [
        (["schedule": ["active": true]] as JSON, "needs an expression"),
        (["schedule": ["active": false, "expression": "  "]] as JSON, "is empty"),
        (["event": ["provider": "azure"]] as JSON, "not supported"),
    ])
    func rejectsInvalidTriggers(params: JSON, message: String) async throws {
        let error = try await #require(throws: NodeError.self) {
            try await run(TriggerNode.self, params, makeContext())
        }
        #expect(error.message.contains(message))
        #expect(error.code == "invalidParameter")
    }
}
