import Foundation
import WeftEngine
import WeftHTTP
import WeftModel

/// `largeHttp`: sends a request as `http` does (or one per input item with `forEach`), streams each
/// response body to a temporary file — never whole in memory, failing past `maxBytes` — and outputs
/// the items of the bodies: the elements of a top-level JSON array, of the array at `response.path`,
/// or the values of an NDJSON body. Later nodes read these items lazily from the files, which are
/// deleted once no output refers to them.
///
/// Secrets are masked in logs and errors; the items themselves are masked only by the run's masker
/// when recorded (an OAuth2 token echoed in a body is not), so that no copy of the body is made.
///
/// The node checks the structure of each body (one pass that finds the items without building
/// them) before it ends, so a truncated or malformed body fails this node; an item whose own
/// content is invalid JSON fails the node that reads it.
public enum LargeHTTPNode: NodeType {
    public enum Format: String, Decodable, Sendable, CaseIterable {
        case auto, json, ndjson
    }

    public struct Parameters: Decodable, Sendable {
        public var input: InputReference?
        public var request: HTTPRequestParameters
        public var forEach: Bool
        public var format: Format
        public var path: String?
        public var maxBytes: Int

        private enum CodingKeys: String, CodingKey { case input, forEach, response, maxBytes }
        private struct Response: Decodable { var format: Format?; var path: String? }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            input = try container.decodeIfPresent(InputReference.self, forKey: .input)
            request = try HTTPRequestParameters(from: decoder)
            forEach = try container.decodeIfPresent(Bool.self, forKey: .forEach) ?? false
            let response = try container.decodeIfPresent(Response.self, forKey: .response)
            format = response?.format ?? .auto
            path = response?.path
            maxBytes = try container.decodeIfPresent(Int.self, forKey: .maxBytes) ?? LargeHTTPNode.defaultMaxBytes
        }
    }

    /// 1 GiB.
    public static let defaultMaxBytes = 1 << 30

    public static let description = NodeDescription(
        type: "largeHttp",
        displayName: "Large HTTP Download",
        group: .general,
        summary: "Downloads a large JSON array or NDJSON body to disk, up to maxBytes, and outputs its items, which the "
            + "following nodes read lazily; nothing holds the whole body in memory.",
        parameters: HTTPRequestParameters.declarations(timeoutDefault: 300) + [
            Parameter("forEach", .boolean, default: false,
                      help: "Send one request per input item, templated from it, one after the other; the items of all bodies are concatenated."),
            Parameter("response", .object([
                Parameter("format", .choice(Format.allCases.map(\.rawValue)), default: "auto",
                          help: "auto: the array at path, else a top-level array, NDJSON, or the document as one item; "
                              + "json: the array at path (default the top level); ndjson: one value per line."),
                Parameter("path", .string(.jsonPath),
                          help: "Where the array of items is in a JSON document: names and indexes such as $.data.items."),
            ]), help: "Where the items are in the body."),
            Parameter("maxBytes", .integer(min: 1, max: nil), default: .int(Int64(defaultMaxBytes)),
                      help: "The largest body accepted; a larger one fails the node and its file is removed."),
        ],
        example: [
            "url": "https://exports.example.com/v1/assets.ndjson",
            "auth": ["type": "bearer", "credential": "inventory"],
            "response": ["format": "ndjson"],
            "maxBytes": 2_147_483_648,
        ]
    )

    public static func execute(_ parameters: Parameters, context: NodeContext) async throws -> NodeResult {
        let call = try HTTPCall(parameters.request, context: context)
        let layoutSteps: [BodyPathStep]
        do { layoutSteps = try parameters.path.map(BodyItemLayout.steps) ?? [] } catch { throw call.nodeError(error, itemIndex: nil) }
        guard parameters.maxBytes > 0 else { throw NodeError("maxBytes must be positive", code: "invalidParameter") }
        let input = try context.items(parameters.input)
        var files: [BodyItemFile] = []
        try await call.withSession { session in
            if !parameters.forEach {
                files.append(try await download(call, item: try input.first() ?? .null, index: nil, parameters: parameters,
                                                steps: layoutSteps, session: session))
                return
            }
            var index = 0
            try await input.forEachAsync { item in
                files.append(try await download(call, item: item, index: index, parameters: parameters, steps: layoutSteps, session: session))
                index += 1
                context.progress(done: index, total: input.count)
            }
        }
        let stream = DownloadedItems(files: files)
        let count = try stream.countAll()
        context.log("\(count) items from \(files.count) bod\(files.count == 1 ? "y" : "ies")")
        return NodeResult(main: Items(stream: stream))
    }

    /// Downloads the body for `item` into a new file and finds its layout.
    static func download(_ call: HTTPCall, item: JSON, index: Int?, parameters: Parameters, steps: [BodyPathStep],
                         session: HTTPSession) async throws -> BodyItemFile {
        let request = try call.request(for: item, index: index)
        let directory = ProcessInfo.processInfo.environment["WEFT_SPILL_DIR"] ?? NSTemporaryDirectory()
        let path = (directory as NSString).appendingPathComponent("weft-body-\(UUID().uuidString).json")
        var refreshed = false
        do {
            while true {
                var outgoing = request
                let used = try await call.credentials.authorize(&outgoing, auth: parameters.request.auth, session: session)
                call.remember(used)
                let (head, bytes) = try await session.download(outgoing, to: path, maxBytes: parameters.maxBytes)
                if head.status == 401, parameters.request.auth.type == .oauth2ClientCredentials, !refreshed {
                    refreshed = true
                    await call.credentials.invalidateToken(for: parameters.request.auth)
                    continue
                }
                call.log("\(request.method) \(request.url): \(head.status) \(head.reason), \(bytes) bytes")
                if head.status >= 400, parameters.request.failOnErrorStatus {
                    let snippet = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 300)).flatMap { $0 }
                        .map { String(decoding: $0, as: UTF8.self) } ?? ""
                    unlink(path)
                    throw HTTPRequestError(.status, "\(request.method) \(request.url) returned \(head.status) \(head.reason)"
                        + (snippet.isEmpty ? "" : ": \(snippet)"))
                }
                let layout: BodyItemLayout
                switch parameters.format {
                case .ndjson: layout = .ndjson
                case .json: layout = .array(at: steps)
                case .auto: layout = try BodyItemLayout.detect(file: path, path: parameters.path)
                }
                return BodyItemFile(path: path, layout: layout)
            }
        } catch {
            unlink(path)
            throw call.nodeError(error, itemIndex: index)
        }
    }
}

/// The items of downloaded bodies, in order, read lazily from their files.
final class DownloadedItems: ItemStream {
    let files: [BodyItemFile]
    private let counted = LockedBox<Int?>(nil)

    init(files: [BodyItemFile]) { self.files = files }

    /// Counts the items of every file, checking their structure.
    /// - Throws: `NodeError` when a body is not laid out as expected.
    func countAll() throws -> Int {
        if let known = counted.withLock({ $0 }) { return known }
        var total = 0
        for file in files {
            do { total += try file.countItems() } catch {
                throw NodeError("the response body is not a valid \(Self.layoutName(file.layout)): \(error)", code: "invalidBody")
            }
        }
        counted.withLock { $0 = total }
        return total
    }

    var count: Int { (try? countAll()) ?? 0 }

    func makeIterator() throws -> any ItemStreamIterator { Iterator(files: files) }

    static func layoutName(_ layout: BodyItemLayout) -> String {
        switch layout {
        case .ndjson: return "NDJSON document"
        case .document: return "JSON document"
        case .array(let steps): return steps.isEmpty ? "JSON array" : "JSON document with an array at its path"
        }
    }

    struct Iterator: ItemStreamIterator {
        let files: [BodyItemFile]
        var position = 0
        var reader: BodyItemReader?

        mutating func next() throws -> JSON? {
            while position < files.count {
                if reader == nil { reader = try files[position].makeReader() }
                if let item = try reader!.next() { return item }
                reader = nil
                position += 1
            }
            return nil
        }
    }
}
