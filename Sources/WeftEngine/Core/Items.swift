import Foundation
import WeftModel

/// The items one node output holds: a sequence of JSON values read in order.
///
/// Small outputs live in memory. An `ItemsBuilder` that grows past its threshold moves the items to
/// a spill file on disk (one compact JSON value per line) and later readers parse them back one at a
/// time, so nodes that work item by item (`forEach`, `enumerated`) never hold the whole sequence.
/// Spill files are deleted when the last `Items` referring to them goes away. Items may also be read
/// from an `ItemStream` (a downloaded file), parsed one at a time on each pass.
public struct Items: Sendable {
    enum Storage: Sendable {
        case memory([JSON])
        case spilled(SpillFile)
        case stream(any ItemStream)
    }

    let storage: Storage

    public init(_ items: [JSON] = []) { storage = .memory(items) }

    init(spill: SpillFile) { storage = .spilled(spill) }

    /// Items read lazily from `stream`, from its start on every pass.
    public init(stream: any ItemStream) { storage = .stream(stream) }

    public static let empty = Items()

    public var count: Int {
        switch storage {
        case .memory(let items): return items.count
        case .spilled(let file): return file.count
        case .stream(let stream): return stream.count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// True when the items are kept on disk (spilled, or read from a stream).
    public var isSpilled: Bool { if case .memory = storage { return false } else { return true } }

    /// Calls `body` with each item in order; stops at the first error.
    public func forEach(_ body: (JSON) throws -> Void) throws {
        try forEachEncoded { item, _ in try body(item) }
    }

    /// Calls `body` with each item and, for items read back from disk, its compact JSON bytes, which
    /// `ItemsBuilder.append(_:encoded:)` can reuse to pass the item on without serializing it again.
    public func forEachEncoded(_ body: (JSON, UnsafeRawBufferPointer?) throws -> Void) throws {
        switch storage {
        case .memory(let items): for item in items { try body(item, nil) }
        case .spilled(let file):
            let parser = JSONStreamParser()
            try file.forEachLine { line in try body(try parser.parse(line), line) }
        case .stream(let stream):
            var iterator = try stream.makeIterator()
            while let item = try iterator.next() { try body(item, nil) }
        }
    }

    /// Calls `body` with consecutive batches of at most `size` items, in order, for nodes that await
    /// something per item (cloud calls); at most one batch is in memory at a time.
    public func forEachBatch(size: Int, _ body: ([JSON]) async throws -> Void) async throws {
        let size = max(1, size)
        switch storage {
        case .memory(let items):
            for start in stride(from: 0, to: items.count, by: size) { try await body(Array(items[start..<min(items.count, start + size)])) }
        case .spilled(let file):
            var reader = try SpillReader(file: file)
            while case let batch = try reader.next(max: size), !batch.isEmpty { try await body(batch) }
        case .stream(let stream):
            var iterator = try stream.makeIterator()
            var batch: [JSON] = []
            batch.reserveCapacity(size)
            while let item = try iterator.next() {
                batch.append(item)
                if batch.count == size {
                    try await body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try await body(batch) }
        }
    }

    /// Calls `body` with each item in order, awaiting it before reading the next.
    public func forEachAsync(_ body: (JSON) async throws -> Void) async throws {
        try await forEachBatch(size: 256) { batch in for item in batch { try await body(item) } }
    }

    /// The first item, reading no further.
    public func first() throws -> JSON? {
        switch storage {
        case .memory(let items): return items.first
        case .spilled(let file): return try file.firstLine { try JSON.parse($0) }
        case .stream(let stream):
            var iterator = try stream.makeIterator()
            return try iterator.next()
        }
    }

    /// Calls `body` with each item and its index in order.
    public func enumerated(_ body: (Int, JSON) throws -> Void) throws {
        var index = 0
        try forEach { item in
            try body(index, item)
            index += 1
        }
    }

    /// All items in memory. Use only in nodes that need the whole set (sort, join, group).
    public func collect() throws -> [JSON] {
        switch storage {
        case .memory(let items): return items
        case .spilled, .stream:
            var all: [JSON] = []
            all.reserveCapacity(count)
            try forEach { all.append($0) }
            return all
        }
    }

    /// Calls `body` with consecutive pages of at most `size` items, each as the compact bytes of a JSON
    /// array. Spilled items are paged without being parsed.
    public func forEachPage(size: Int, _ body: (_ first: Int, _ count: Int, _ bytes: [UInt8]) throws -> Void) throws {
        let size = max(1, size)
        switch storage {
        case .memory(let items):
            var first = 0
            while first < items.count {
                let end = min(first + size, items.count)
                var bytes: [UInt8] = []
                JSON.array(Array(items[first..<end])).write(to: &bytes)
                try body(first, end - first, bytes)
                first = end
            }
        case .spilled(let file):
            var pages = PageAssembler(size: size)
            try file.forEachLine { line in try pages.add({ $0.append(contentsOf: line) }, body) }
            try pages.finish(body)
        case .stream(let stream):
            var iterator = try stream.makeIterator()
            var pages = PageAssembler(size: size)
            while let item = try iterator.next() { try pages.add({ item.write(to: &$0) }, body) }
            try pages.finish(body)
        }
    }

    /// The concatenation of several outputs in order.
    public static func concatenate(_ parts: [Items]) throws -> Items {
        let nonEmpty = parts.filter { !$0.isEmpty }
        if nonEmpty.isEmpty { return .empty }
        if nonEmpty.count == 1 { return nonEmpty[0] }
        var builder = ItemsBuilder()
        for part in nonEmpty { try part.forEach { builder.append($0) } }
        return builder.finish()
    }
}

/// A sequence of items kept outside the engine — such as a downloaded JSON array or NDJSON file —
/// that `Items` reads one item at a time, from the start on every pass.
///
/// Conforming types own what they read (and delete a temporary file when released); they must allow
/// several passes, each with its own iterator, to run at once.
public protocol ItemStream: Sendable {
    /// The number of items. It may take one pass over the source (without building the items) and
    /// should then be remembered; a source that cannot be read counts the items up to the failure,
    /// and iterating reports the error.
    var count: Int { get }
    /// A new pass over the items, positioned before the first.
    /// - Throws: when the source cannot be opened.
    func makeIterator() throws -> any ItemStreamIterator
}

/// One pass over an `ItemStream`.
public protocol ItemStreamIterator {
    /// The next item, or `nil` after the last one.
    /// - Throws: when the source cannot be read or an item cannot be parsed; later calls may throw again.
    mutating func next() throws -> JSON?
}

/// Collects the items a node emits on one output, moving them to a spill file past a threshold.
///
/// Use one builder per output and call `finish()` once; a copy made after the builder spilled
/// shares its spill file.
public struct ItemsBuilder: Sendable {
    /// How many items stay in memory before the builder spills to disk.
    public static let defaultSpillThreshold = 10_000
    private var items: [JSON] = []
    private var spill: SpillWriter?
    private let threshold: Int
    private let directory: String?
    private(set) public var count = 0

    /// - Parameter spillDirectory: where spill files go; default `WEFT_SPILL_DIR` or the temporary directory.
    public init(spillThreshold: Int = ItemsBuilder.defaultSpillThreshold, spillDirectory: String? = nil) {
        threshold = spillThreshold
        directory = spillDirectory
    }

    public mutating func append(_ item: JSON) {
        append(item, encoded: nil)
    }

    /// Appends `item`; `encoded`, when given, must be its compact JSON text without line breaks
    /// (as `Items.forEachEncoded` provides) and is written as is if the builder has spilled.
    public mutating func append(_ item: JSON, encoded: UnsafeRawBufferPointer?) {
        count += 1
        if spill != nil {
            if let encoded { spill!.write(encoded: encoded) } else { spill!.write(item) }
            return
        }
        items.append(item)
        if items.count > threshold, let writer = try? SpillWriter(directory: directory) {
            for element in items { writer.write(element) }
            items = []
            spill = writer
        }
    }

    public mutating func append(contentsOf more: [JSON]) {
        for item in more { append(item) }
    }

    public func finish() -> Items {
        guard let spill else { return Items(items) }
        return Items(spill: spill.finish(count: count))
    }
}

/// Gathers compact JSON elements into pages `[a,b,…]` of `size` items for `Items.forEachPage`.
private struct PageAssembler {
    let size: Int
    private var bytes: [UInt8] = [UInt8(ascii: "[")]
    private var first = 0
    private var inPage = 0

    init(size: Int) { self.size = size }

    /// Appends one element (`write` adds its compact JSON) and hands on the page once it is full.
    mutating func add(_ write: (inout [UInt8]) -> Void, _ body: (Int, Int, [UInt8]) throws -> Void) rethrows {
        if inPage > 0 { bytes.append(UInt8(ascii: ",")) }
        write(&bytes)
        inPage += 1
        if inPage == size { try flush(body) }
    }

    /// Hands on the last, partly filled page, if any.
    mutating func finish(_ body: (Int, Int, [UInt8]) throws -> Void) rethrows {
        if inPage > 0 { try flush(body) }
    }

    private mutating func flush(_ body: (Int, Int, [UInt8]) throws -> Void) rethrows {
        bytes.append(UInt8(ascii: "]"))
        try body(first, inPage, bytes)
        first += inPage
        inPage = 0
        bytes = [UInt8(ascii: "[")]
    }
}

/// A file of compact JSON values, one per line, deleted when no longer referenced.
final class SpillFile: Sendable {
    let path: String
    let count: Int
    /// Why writing the file failed, if it did.
    let failure: String?

    init(path: String, count: Int, failure: String? = nil) { self.path = path; self.count = count; self.failure = failure }

    deinit { unlink(path) }

    /// The result of `body` on the first line, reading no further.
    func firstLine<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        var result: T?
        do {
            try forEachLine { line in
                result = try body(line)
                throw FirstLineFound()
            }
        } catch is FirstLineFound {}
        return result
    }

    private struct FirstLineFound: Error {}

    /// Calls `body` with the bytes of each line, without its line feed; the bytes are valid only
    /// during the call.
    func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if let failure { throw NodeError("the spill file \(path) could not be written: \(failure)", code: "storage") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NodeError("the spill file \(path) is missing")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            let consumed = try pending.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                var start = 0
                while start < buffer.count, let found = memchr(base + start, 0x0A, buffer.count - start) {
                    let newline = base.distance(to: UnsafeRawPointer(found))
                    if newline > start { try body(UnsafeRawBufferPointer(start: base + start, count: newline - start)) }
                    start = newline + 1
                }
                return start
            }
            pending.removeFirst(consumed)
        }
        if !pending.isEmpty { try pending.withUnsafeBytes { try body($0) } }
    }
}

/// Reads a spill file's items a batch at a time.
struct SpillReader {
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var offset = 0
    private var atEnd = false
    private let parser = JSONStreamParser()

    init(file: SpillFile) throws {
        if let failure = file.failure { throw NodeError("the spill file \(file.path) could not be written: \(failure)", code: "storage") }
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw NodeError("the spill file \(file.path) is missing") }
        self.handle = handle
    }

    /// Up to `max` further items; empty at the end of the file.
    mutating func next(max: Int) throws -> [JSON] {
        var items: [JSON] = []
        while items.count < max {
            if let newline = pending[offset...].firstIndex(of: 0x0A) {
                if newline > offset { items.append(try pending[offset..<newline].withUnsafeBytes { try parser.parse($0) }) }
                offset = newline + 1
                continue
            }
            if atEnd {
                if offset < pending.count { items.append(try pending[offset...].withUnsafeBytes { try parser.parse($0) }) }
                pending = []; offset = 0
                break
            }
            pending.removeFirst(offset); offset = 0
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { pending.append(contentsOf: chunk) } else { atEnd = true }
        }
        if items.isEmpty { try? handle.close() }
        return items
    }
}

/// Appends compact JSON lines to a new spill file in the temporary directory (or `WEFT_SPILL_DIR`).
/// A write error (a full disk) is kept and reported when the file is read.
final class SpillWriter: @unchecked Sendable {
    private let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var failure: (any Error)?
    private var finished: SpillFile?

    init(directory: String?) throws {
        let directory = directory ?? ProcessInfo.processInfo.environment["WEFT_SPILL_DIR"] ?? NSTemporaryDirectory()
        path = (directory as NSString).appendingPathComponent("weft-spill-\(UUID().uuidString).ndjson")
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw NodeError("cannot create a spill file in \(directory)")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ item: JSON) {
        item.write(to: &buffer)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    func write(encoded: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: encoded)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        if failure == nil {
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish(count: Int) -> SpillFile {
        if let finished { return finished }
        flush()
        try? handle.close()
        let file = SpillFile(path: path, count: count, failure: failure.map { "\($0)" })
        finished = file
        return file
    }
}
