import Foundation
import WeftModel

extension ExecutionRecord {
    /// The connector and region this execution ran for.
    public var target: ExecutionTarget {
        ExecutionTarget(connector: connector, accountId: accountId, region: region, provider: provider)
    }
}

/// Reads step outputs back from a journal: a window of items for paging, and whole outputs for reuse.
public struct JournalReader: Sendable {
    public let journal: any StepJournal

    public init(journal: any StepJournal) {
        self.journal = journal
    }

    /// How many items `output` holds.
    public static func count(_ output: StoredItems) -> Int {
        switch output {
        case .inline(let items): items.count
        case .pages(let pages): pages.reduce(0) { $0 + $1.count }
        }
    }

    /// Items `offset ..< offset + limit` of `output`, reading only the pages that hold them.
    /// - Throws: the store's errors; `JournalReadError` when a page is not a gzip'd JSON array.
    public func items(of output: StoredItems, offset: Int, limit: Int) async throws -> [JSON] {
        guard limit > 0, offset >= 0 else { return [] }
        switch output {
        case .inline(let items):
            guard offset < items.count else { return [] }
            return Array(items[offset..<min(items.count, offset + limit)])
        case .pages(let pages):
            var result: [JSON] = []
            let end = offset + limit
            for page in pages where page.firstItem + page.count > offset && page.firstItem < end {
                let items = try await pageItems(page)
                let from = max(0, offset - page.firstItem)
                let to = min(items.count, end - page.firstItem)
                if from < to { result += items[from..<to] }
            }
            return result
        }
    }

    /// Every item of `output`.
    public func allItems(of output: StoredItems) async throws -> [JSON] {
        try await items(of: output, offset: 0, limit: Self.count(output))
    }

    /// The outputs of each node's last successful step (outside loop bodies) in `executionId`, for
    /// `nodeIds` only.
    public func recordedOutputs(executionId: String, nodeIds: Set<String>) async throws -> RecordedOutputs {
        var latest: [String: StepRecord] = [:]
        for step in try await journal.steps(executionId: executionId)
        where nodeIds.contains(step.nodeId) && step.iteration == 0 && step.status == .success {
            latest[step.nodeId] = step
        }
        var outputs: [String: [String: Items]] = [:]
        for (nodeId, step) in latest {
            var byName: [String: Items] = [:]
            for (name, output) in step.outputs { byName[name] = Items(try await allItems(of: output)) }
            outputs[nodeId] = byName
        }
        return RecordedOutputs(executionId: executionId, outputs: outputs)
    }

    private func pageItems(_ page: BlobPage) async throws -> [JSON] {
        let bytes = try await journal.blob(id: page.blobId)
        guard let text = try? Compression.gunzip(bytes), let array = (try? JSON.parse(text))?.arrayValue else {
            throw JournalReadError(message: "output page \(page.blobId) is not a compressed JSON array")
        }
        return array
    }
}

public struct JournalReadError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
