import Foundation
import Testing
import WeftEngine
import WeftModel

struct ItemsTests {
    static let values: [JSON] = (0..<10).map { ["n": .int(Int64($0)), "text": .string("line\nbreak \($0)"), "list": [1, 2.5, nil]] }

    @Test func aBuilderSpillsPastItsThresholdAndReadsBackTheSameItems() throws {
        var builder = ItemsBuilder(spillThreshold: 3)
        for value in Self.values { builder.append(value) }
        let items = builder.finish()
        #expect(items.isSpilled)
        #expect(items.count == 10)
        #expect(try items.collect() == Self.values)
        var seen: [Int] = []
        try items.enumerated { index, item in
            #expect(item == Self.values[index])
            seen.append(index)
        }
        #expect(seen == Array(0..<10))
    }

    @Test func smallOutputsStayInMemory() {
        var builder = ItemsBuilder(spillThreshold: 100)
        builder.append(contentsOf: Self.values)
        #expect(!builder.finish().isSpilled)
    }

    @Test(arguments: [true, false])
    func pagesAreJSONArraysInOrder(spilled: Bool) throws {
        var builder = ItemsBuilder(spillThreshold: spilled ? 2 : 100)
        builder.append(contentsOf: Self.values)
        var pages: [(Int, Int)] = []
        var all: [JSON] = []
        try builder.finish().forEachPage(size: 4) { first, count, bytes in
            pages.append((first, count))
            all += try JSON.parse(bytes).arrayValue ?? []
        }
        #expect(pages.map(\.0) == [0, 4, 8])
        #expect(pages.map(\.1) == [4, 4, 2])
        #expect(all == Self.values)
    }

    @Test func theSpillFileIsRemovedWithTheLastReference() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func spillFiles() -> Set<String> {
            Set(((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("weft-spill-") })
        }
        let before = spillFiles()
        do {
            var builder = ItemsBuilder(spillThreshold: 1, spillDirectory: directory)
            builder.append(contentsOf: Self.values)
            let items = builder.finish()
            #expect(spillFiles().subtracting(before).count == 1)
            #expect(items.count == 10)
        }
        #expect(spillFiles().subtracting(before).isEmpty)
    }

    @Test func concatenationKeepsOrder() throws {
        var spilled = ItemsBuilder(spillThreshold: 1)
        spilled.append(contentsOf: Array(Self.values[0..<5]))
        let joined = try Items.concatenate([spilled.finish(), .empty, Items(Array(Self.values[5...]))])
        #expect(try joined.collect() == Self.values)
    }

    @Test func maskingReplacesSecretsInKeysValuesAndNumbers() {
        let masker = SecretMasker(secretValues: ["hunter2", ["pin": 4321, "short": "ab"], 7])
        let masked = masker.mask(["hunter2": "x hunter2 y", "pin": 4321, "pinText": "4321", "other": 43210,
                                  "short": "ab", "shortInside": "abc", "host": "web-17", "seven": 7] as JSON)
        #expect(masked == ["hunter2": "x ***** y", "pin": "*****", "pinText": "*****", "other": 43210,
                           "short": "*****", "shortInside": "abc", "host": "web-17", "seven": "*****"])
        #expect(masker.mask("no secret here") == "no secret here")
    }
}
