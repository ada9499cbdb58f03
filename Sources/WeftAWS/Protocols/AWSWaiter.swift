import WeftModel

/// A waiter from botocore's `waiters-2.json`: which operation to poll, how often, and when to stop.
public struct AWSWaiter: Sendable {
    /// What an acceptor decides.
    public enum State: String, Sendable {
        case success, failure, retry
    }

    /// One acceptor: a matcher, its argument (a JMESPath expression for path matchers) and the expected value.
    public struct Acceptor: Sendable {
        public enum Matcher: String, Sendable {
            case path, pathAll, pathAny, status, error
        }

        public var matcher: Matcher
        public var argument: JMESPath?
        public var expected: JSON
        public var state: State
    }

    public var name: String
    public var operation: String
    /// Seconds between attempts.
    public var delay: Int
    public var maxAttempts: Int
    public var acceptors: [Acceptor]

    /// The waiter `name` of `model`; throws `BotocoreDataError` when it is unknown or malformed.
    public init(model: ServiceModel, name: String) throws {
        guard let definition = model.waiters[name] else {
            throw BotocoreDataError("unknown waiter '\(name)'", service: model.name)
        }
        do {
            try self.init(name: name, definition: definition)
        } catch let error as BotocoreDataError {
            throw BotocoreDataError(error.message, service: model.name)
        }
    }

    /// A waiter from one entry of `waiters-2.json`.
    public init(name: String, definition: JSON) throws {
        self.name = name
        guard let operation = definition["operation"]?.stringValue else {
            throw BotocoreDataError("waiter '\(name)' names no operation")
        }
        self.operation = operation
        delay = Int(definition["delay"]?.intValue ?? 15)
        maxAttempts = Int(definition["maxAttempts"]?.intValue ?? 40)
        acceptors = try (definition["acceptors"]?.arrayValue ?? []).map { acceptor in
            guard let matcherName = acceptor["matcher"]?.stringValue, let matcher = Acceptor.Matcher(rawValue: matcherName),
                let stateName = acceptor["state"]?.stringValue, let state = State(rawValue: stateName)
            else {
                throw BotocoreDataError("waiter '\(name)' has a malformed acceptor: \(acceptor.serialized())")
            }
            var argument: JMESPath?
            if matcher == .path || matcher == .pathAll || matcher == .pathAny {
                do { argument = try JMESPath(acceptor["argument"]?.stringValue ?? "@") } catch {
                    throw BotocoreDataError("waiter '\(name)': \(error)")
                }
            }
            return Acceptor(matcher: matcher, argument: argument, expected: acceptor["expected"] ?? .null, state: state)
        }
    }

    /// The state after one attempt that returned `output` with HTTP `status`: the first matching
    /// acceptor's state, or `nil` (poll again) when none matches.
    public func state(output: JSON, status: Int = 200) -> State? {
        for acceptor in acceptors {
            let matched: Bool
            switch acceptor.matcher {
            case .path:
                matched = acceptor.argument.map { $0.search(output) == acceptor.expected } ?? false
            case .pathAll:
                if case .array(let items) = acceptor.argument?.search(output) ?? .null, !items.isEmpty {
                    matched = items.allSatisfy { $0 == acceptor.expected }
                } else {
                    matched = false
                }
            case .pathAny:
                if case .array(let items) = acceptor.argument?.search(output) ?? .null {
                    matched = items.contains(acceptor.expected)
                } else {
                    matched = false
                }
            case .status:
                matched = acceptor.expected.intValue == Int64(status)
            case .error:
                matched = acceptor.expected == .bool(false)
            }
            if matched { return acceptor.state }
        }
        return nil
    }

    /// The state after one attempt that failed with `error`: the first matching `error` or
    /// `status` acceptor's state, else `.failure`, as botocore stops on unexpected errors.
    public func state(error: AWSServiceError) -> State {
        for acceptor in acceptors {
            let matched: Bool
            switch acceptor.matcher {
            case .status:
                matched = acceptor.expected.intValue == Int64(error.statusCode)
            case .error:
                switch acceptor.expected {
                case .bool(let any): matched = any
                case .string(let code): matched = code == error.code
                default: matched = false
                }
            default:
                matched = false
            }
            if matched { return acceptor.state }
        }
        return .failure
    }
}
