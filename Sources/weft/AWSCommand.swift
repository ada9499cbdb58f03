import ArgumentParser
import WeftAWS
import WeftCloudNodes
import WeftModel

/// `weft aws`: the AWS catalog the editor's pickers are built from — services, their read and
/// mutating operations with friendly names, an operation's input shape, and the addons.
struct AWSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws",
        abstract: "Browse the AWS catalog: services, operations (read or mutating), input shapes, addons.",
        discussion: """
            weft aws                          every service
            weft aws rds                      rds's operations, read ones first, with friendly names
            weft aws rds DescribeDBInstances  the operation's input shape (members, types, required) and addons
            The models are botocore's, from WEFT_BOTOCORE_DATA or python3's botocore.
            """)

    @Argument(help: "A service, by its botocore name (ec2, rds, s3, …).")
    var service: String?

    @Argument(help: "An operation of the service, e.g. DescribeDBInstances.")
    var operation: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let data: BotocoreData
        do { data = try BotocoreData.locate() } catch {
            printError("\(error)")
            throw ExitStatus.invalidInput
        }
        guard let service else {
            let names = data.serviceNames()
            print(json ? JSON.array(names.map(JSON.string)).serialized(pretty: true) : names.joined(separator: "\n"))
            return
        }
        guard data.hasService(service) else {
            printError("unknown AWS service '\(service)' (weft aws lists them)")
            throw ExitStatus.invalidInput
        }
        let model = try data.model(service)
        guard let operation else {
            let entries: [JSON] = (model.readOperations + model.mutatingOperations).map { name in
                ["operation": .string(name), "name": .string(model.friendlyName(name)), "read": .bool(model.isRead(name))]
            }
            if json { print(JSON.array(entries).serialized(pretty: true)); return }
            print("\(model.serviceFullName) (\(model.protocol.rawValue))")
            for (title, names) in [("read", model.readOperations), ("mutating", model.mutatingOperations)] {
                print("\n\(title) (\(names.count))")
                for name in names { print("  \(name.padding(48))\(model.friendlyName(name))") }
            }
            return
        }
        guard model.operations[operation] != nil else {
            printError("\(service) has no operation '\(operation)' (weft aws \(service) lists them)")
            throw ExitStatus.invalidInput
        }
        let description: JSON = [
            "service": .string(service), "operation": .string(operation), "name": .string(model.friendlyName(operation)),
            "read": .bool(model.isRead(operation)), "input": try model.inputDescription(operation),
            "addons": .array(AWSAddons.offered(service: service, operation: operation).map(\.json)),
        ]
        print(description.serialized(pretty: true))
    }
}
