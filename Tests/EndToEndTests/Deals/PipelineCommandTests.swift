import Foundation
import Testing

@Suite(.serialized) struct PipelineCommandTests {
  @Test func exportEditImportAndRefusals() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    _ = try addDeal(s, client: client, "Поставка")
    try #require(try crm(s, ["deal", "move", "1", "--to", "offer"]).status == 0)
    let file = s.dir + "/funnel.toml"
    let export = try crm(s, ["pipeline", "export", "--out", file])
    #expect(export.status == 0, "\(export.err)")
    let original = try String(contentsOfFile: file, encoding: .utf8)
    #expect(original.contains("key = \"offer\""))

    // A mistake is refused with its line; the configuration in force does not change.
    let lines = original.components(separatedBy: "\n")
    let at = try #require(lines.firstIndex { $0.hasPrefix("probability = 25") })
    var broken = lines
    broken[at] = "probability = 150"
    try broken.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let bad = try crm(s, ["pipeline", "import", file])
    #expect(bad.status == 1)
    // Range checks name the stage's table header.
    let header = try #require(lines.firstIndex { $0 == "key = \"offer\"" })
    #expect(bad.err.contains("funnel.toml:\(header):"), "\(bad.err)")
    #expect(bad.err.contains("150"))
    #expect(try sqlite(s, "SELECT probability FROM stage WHERE key = 'offer'") == "25\n")

    // Removing the stage that holds the deal is refused with the count.
    let offerStart = try #require(lines.firstIndex { $0 == "key = \"offer\"" }) - 1
    let nextStage = try #require(
      lines[(offerStart + 1)...].firstIndex { $0 == "[[pipeline.stage]]" })
    var removed = lines
    removed.removeSubrange(offerStart..<nextStage)
    try removed.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let occupied = try crm(s, ["pipeline", "import", file])
    #expect(occupied.status == 1)
    #expect(occupied.err.contains("1"), "\(occupied.err)")
    #expect(occupied.err.contains("offer"))
    #expect(
      try sqlite(s, "SELECT count(*) FROM stage WHERE key = 'offer' AND archived = 0") == "1\n")

    // A good edit: dry run first, then for real.
    var good = lines
    good[at] = "probability = 30"
    try good.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    let dry = try crm(s, ["pipeline", "import", file, "--dry-run"])
    #expect(dry.status == 0, "\(dry.err)")
    #expect(dry.out.contains("sales.offer"))
    #expect(try sqlite(s, "SELECT probability FROM stage WHERE key = 'offer'") == "25\n")
    let real = try crm(s, ["pipeline", "import", file])
    #expect(real.status == 0, "\(real.err)")
    #expect(try sqlite(s, "SELECT probability FROM stage WHERE key = 'offer'") == "30\n")
    let deal = try jsonObject(s, ["deal", "show", "1"])
    #expect(deal["probability"] as? Int == 30)

    // Not UTF-8, and a missing file.
    try Data([0xFF, 0xFE, 0x00, 0x41]).write(to: URL(fileURLWithPath: file))
    #expect(try crm(s, ["pipeline", "import", file]).status == 1)
    #expect(try crm(s, ["pipeline", "import", s.dir + "/nope.toml"]).status == 1)
  }
}
