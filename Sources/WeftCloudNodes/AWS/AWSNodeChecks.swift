import Foundation
import WeftAWS
import WeftEngine
import WeftModel

/// Validation shared by the AWS nodes against botocore's models: the service and operation exist,
/// resource nodes use read operations, the parameters fit the operation's input shape, the addons
/// are offered for the operation.
enum AWSNodeChecks {
    enum Kind { case read, any }

    /// The models, located once per process (`WEFT_BOTOCORE_DATA` or python3's botocore).
    static let models: Result<BotocoreData, BotocoreDataError> = {
        do { return .success(try BotocoreData.locate()) } catch let error as BotocoreDataError { return .failure(error) } catch {
            return .failure(BotocoreDataError("\(error)"))
        }
    }()

    /// Whether the service's model classes `operation` as a read (unknown operations count as mutating).
    static func isRead(service: String, operation: String) -> Bool {
        guard case .success(let data) = models, let model = try? data.model(service) else { return false }
        return model.isRead(operation)
    }

    static func check(node: FlowNode, kind: Kind) -> [ModelIssue] {
        guard case .string(let service)? = node.params["service"], case .string(let operation)? = node.params["operation"],
              !isDeferred(service), !isDeferred(operation) else { return [] }
        let data: BotocoreData
        switch models {
        case .success(let found): data = found
        case .failure(let error): return [ModelIssue(pointer: "/service", message: "cannot check the AWS service: \(error.description)")]
        }
        guard data.hasService(service) else {
            let near = closest(service, in: data.serviceNames())
            return [ModelIssue(pointer: "/service", message: "unknown AWS service '\(service)'" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"))]
        }
        let model: ServiceModel
        do { model = try data.model(service) } catch {
            return [ModelIssue(pointer: "/service", message: "the model of '\(service)' cannot be read: \(error)")]
        }
        guard model.operations[operation] != nil else {
            let near = closest(operation, in: Array(model.operations.keys))
            return [ModelIssue(pointer: "/operation", message: "\(service) has no operation '\(operation)'" + (near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"))]
        }
        var issues: [ModelIssue] = []
        if kind == .read, !model.isRead(operation) {
            issues.append(ModelIssue(pointer: "/operation", message: "\(operation) is not a read operation; an AWS Resource node reads (Describe…, List…, Get…) — use an AWS Action node to change resources"))
        }
        if case .object(let parameters) = node.params["parameters"] ?? [:] {
            issues += AWSParameterValidator.validate(operation: operation, parameters: .object(parameters), model: model)
                .filter { $0.severity == .error }
                .map { ModelIssue(pointer: "/parameters" + $0.pointer, message: $0.message) }
        }
        if case .array(let addons)? = node.params["addons"] {
            let offered = AWSAddons.offered(service: service, operation: operation).map(\.name)
            for (index, addon) in addons.enumerated() {
                guard let name = addon.stringValue, !offered.contains(name) else { continue }
                issues.append(ModelIssue(pointer: "/addons/\(index)", message: "no addon '\(name)' for \(service) \(operation)"
                                         + (offered.isEmpty ? " (it has none)" : " (offered: \(offered.joined(separator: ", ")))")))
            }
        }
        return issues
    }

    /// The addons named, in order; throws when one is not offered (validation reports it first).
    static func addons(_ names: [String], service: String, operation: String) throws -> [AWSAddon] {
        let offered = AWSAddons.offered(service: service, operation: operation)
        return try names.map { name in
            guard let addon = offered.first(where: { $0.name == name }) else {
                throw NodeError("addons: no addon '\(name)' for \(service) \(operation)", code: "invalidParameter")
            }
            return addon
        }
    }

    /// Values filled in at run time (variables, templates) are checked then.
    private static func isDeferred(_ text: String) -> Bool {
        text.contains("$wf.variables") || Template.containsTemplate(text)
    }

    /// Up to three names close to `name` (case-insensitive prefix or edit distance ≤ 2).
    private static func closest(_ name: String, in names: [String]) -> [String] {
        let lower = name.lowercased()
        let scored = names.compactMap { candidate -> (String, Int)? in
            let other = candidate.lowercased()
            if other == lower { return (candidate, 0) }
            let distance = editDistance(lower, other)
            return distance <= 2 || (lower.count >= 3 && other.hasPrefix(lower)) ? (candidate, distance) : nil
        }
        return scored.sorted { $0.1 < $1.1 }.prefix(3).map(\.0)
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
