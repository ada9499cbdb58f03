import Foundation
import WeftModel

/// One message between the engine and a sandbox helper.
///
/// On the wire: the header's byte length and the body's byte length as 32-bit little-endian
/// integers, then the header — a compact JSON object whose `op` member names the message — then
/// the body, raw bytes (usually the JSON text of an array of items, passed on without being
/// parsed by the side that only forwards it).
///
/// Messages of the protocol (engine → helper, then the helper's answers):
/// - `begin` `{kind: "custom", mode: "all"|"each", code, vars, execution, inputs: [names],
///   cpuSeconds, outputBytes, logBytes}` or `{kind: "conditions", functions: {id: code}, vars,
///   execution, now, cpuSeconds, logBytes}` → `ready`, or `error`.
/// - `input` `{name?}` + body: a JSON array of items added to `items` (no name) or to
///   `inputs[name]`. No answer; a failure is reported by the next request.
/// - `each` `{start}` + body: items handed to the code one by one → `result` + body: the JSON
///   array of the items produced.
/// - `run` → any number of `chunk` + body (JSON arrays of output items), then `done` `{count}`.
/// - `conditions` `{start}` + body: items → `verdicts` + body: `{"<id>": [true | false |
///   {"error": text} | {"value": text}]}` (`value`: what a non-boolean return was).
/// - `end` → `ended` `{rss}`: the context is thrown away.
/// Every answer may carry `logs` (`[[level, text]]`, console lines since the last answer); `error`
/// carries `error` `{kind, message, line?, column?, stack?}` where `kind` is `syntax`,
/// `exception`, `cpu`, `output` or `protocol`.
public struct SandboxFrame: Sendable {
    public var header: JSONObject
    public var body: [UInt8]

    public init(_ header: JSONObject, body: [UInt8] = []) {
        self.header = header
        self.body = body
    }

    /// The `op` member of the header.
    public var op: String { header["op"]?.stringValue ?? "" }

    /// The bytes of this frame on the wire.
    public func encoded() -> [UInt8] {
        var head: [UInt8] = []
        JSON.object(header).write(to: &head)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + head.count + body.count)
        Self.appendLength(head.count, to: &bytes)
        Self.appendLength(body.count, to: &bytes)
        bytes.append(contentsOf: head)
        bytes.append(contentsOf: body)
        return bytes
    }

    /// The largest header or body accepted: 1 GiB.
    public static let maximumPartLength = 1 << 30

    static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        let value = UInt32(length)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func readLength(_ bytes: [UInt8], at offset: Int) -> Int {
        var value = 0
        for index in 0..<4 { value |= Int(bytes[offset + index]) << (8 * index) }
        return value
    }
}

/// Why reading or writing frames failed.
public enum SandboxIOError: Error, Sendable, Equatable {
    /// The other side closed its end (or died) before a whole frame came.
    case closed
    /// A system call failed with this errno.
    case system(Int32)
    /// The bytes read are not a frame.
    case malformed(String)
}

/// Reads and writes frames on a file descriptor with blocking system calls.
///
/// Writing uses `send` with `MSG_NOSIGNAL` when the descriptor is a socket, so a peer that died
/// gives `SandboxIOError.closed` instead of `SIGPIPE`.
public struct SandboxChannel: Sendable {
    public let readDescriptor: Int32
    public let writeDescriptor: Int32
    private let writeIsSocket: Bool

    public init(read: Int32, write: Int32) {
        readDescriptor = read
        writeDescriptor = write
        var status = stat()
        writeIsSocket = fstat(write, &status) == 0 && (status.st_mode & S_IFMT) == S_IFSOCK
    }

    /// Writes `frame` whole.
    public func write(_ frame: SandboxFrame) throws(SandboxIOError) {
        try writeAll(frame.encoded())
    }

    /// Writes a frame whose body is `body`, without copying the body into one buffer with the header.
    public func write(_ header: JSONObject, body: UnsafeRawBufferPointer) throws(SandboxIOError) {
        var head: [UInt8] = []
        JSON.object(header).write(to: &head)
        var prefix: [UInt8] = []
        SandboxFrame.appendLength(head.count, to: &prefix)
        SandboxFrame.appendLength(body.count, to: &prefix)
        prefix.append(contentsOf: head)
        try writeAll(prefix)
        try writeAll(body)
    }

    private func writeAll(_ bytes: [UInt8]) throws(SandboxIOError) {
        let result: Result<Void, SandboxIOError> = bytes.withUnsafeBytes { buffer in
            Result { () throws(SandboxIOError) in try writeAll(buffer) }
        }
        try result.get()
    }

    private func writeAll(_ buffer: UnsafeRawBufferPointer) throws(SandboxIOError) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written: Int
            if writeIsSocket {
                written = send(writeDescriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            } else {
                written = Foundation.write(writeDescriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw .closed }
                throw .system(errno)
            }
            offset += written
        }
    }

    /// Reads the next frame; `nil` when the other side closed its end between frames.
    public func read() throws(SandboxIOError) -> SandboxFrame? {
        var lengths = [UInt8](repeating: 0, count: 8)
        guard try readExactly(&lengths, allowEnd: true) else { return nil }
        let headLength = SandboxFrame.readLength(lengths, at: 0)
        let bodyLength = SandboxFrame.readLength(lengths, at: 4)
        guard headLength <= SandboxFrame.maximumPartLength, bodyLength <= SandboxFrame.maximumPartLength else {
            throw .malformed("frame part too long (\(headLength), \(bodyLength) bytes)")
        }
        var head = [UInt8](repeating: 0, count: headLength)
        _ = try readExactly(&head, allowEnd: false)
        var body = [UInt8](repeating: 0, count: bodyLength)
        _ = try readExactly(&body, allowEnd: false)
        guard case .object(let header)? = try? JSON.parse(head) else { throw .malformed("the frame header is not a JSON object") }
        return SandboxFrame(header, body: body)
    }

    private func readExactly(_ bytes: inout [UInt8], allowEnd: Bool) throws(SandboxIOError) -> Bool {
        let count = bytes.count
        let descriptor = readDescriptor
        let outcome: Int32 = bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < count {
                let got = Foundation.read(descriptor, base + offset, count - offset)
                if got < 0 {
                    if errno == EINTR { continue }
                    return errno == ECONNRESET ? -1 : errno
                }
                if got == 0 { return offset == 0 && allowEnd ? -2 : -1 }
                offset += got
            }
            return 0
        }
        switch outcome {
        case 0: return true
        case -2: return false
        case -1: throw .closed
        default: throw .system(outcome)
        }
    }
}
