import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

@Suite struct AttachmentServiceTests {
  static func file(_ name: String, _ text: String) -> AttachmentFile {
    AttachmentFile(name: name, mime: "", data: Data(text.utf8))
  }

  @Test func sha256MatchesTheStandardVectors() {
    // FIPS 180-4 examples and a message crossing a block boundary.
    #expect(
      AttachmentSHA256.hex(Data())
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(
      AttachmentSHA256.hex(Data("abc".utf8))
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      AttachmentSHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      AttachmentSHA256.hex(Data(repeating: 0x61, count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func sameContentIsStoredOnceAndGoesWithTheLastAttachment() throws {
    let f = try DealFixture()
    let client = try f.base.client("Ромашка")
    let deal = try f.deal(client: client)
    let service = AttachmentService(db: f.db, userId: f.base.anna, language: .en)
    let ids = try service.add(
      clientId: client, [Self.file("договор.pdf", "PDF-1"), Self.file("копия.pdf", "PDF-1")])
    let onDeal = try service.add(dealId: deal, [Self.file("смета.xlsx", "XLSX")])
    #expect(ids.count == 2 && onDeal.count == 1)
    let blobs = { try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM blob") ?? -1 } }
    #expect(try blobs() == 2)
    // The client lists its deal's files too; the deal only its own.
    #expect(
      try service.list(clientId: client).map(\.name) == ["смета.xlsx", "копия.pdf", "договор.pdf"])
    #expect(try service.list(dealId: deal).map(\.name) == ["смета.xlsx"])
    let (a, data) = try #require(try service.get(ids[0]))
    #expect(a.mime == "application/pdf" && data == Data("PDF-1".utf8) && a.size == 5)
    try service.remove(ids[0])
    #expect(try blobs() == 2)
    try service.remove(ids[1])
    #expect(try blobs() == 1)
    #expect(try service.get(ids[1]) == nil)
  }

  @Test func aFileOverTheCapIsRefusedAndNothingOfTheBatchIsKept() throws {
    let f = try DealFixture()
    let client = try f.base.client("Ромашка")
    try f.db.setSetting("attachment_max_mb", "1", language: .en)
    let service = AttachmentService(db: f.db, userId: f.base.anna, language: .en)
    let big = AttachmentFile(name: "big.bin", mime: "", data: Data(count: 1024 * 1024 + 1))
    #expect(throws: CRMError.self) {
      try service.add(clientId: client, [Self.file("small.txt", "ok"), big])
    }
    #expect(try service.list(clientId: client).isEmpty)
    #expect(try f.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM blob") } == 0)
  }

  @Test func aManagerSeesOnlyFilesOfClientsTheyMaySee() throws {
    let f = try DealFixture()
    let annas = try f.base.client("Ромашка")
    let boriss = try f.base.client("Лютик", owner: f.base.boris)
    let anna = AttachmentService(db: f.db, userId: f.base.anna, language: .en)
    let mine = try anna.add(clientId: annas, [Self.file("a.txt", "A")])[0]
    try anna.add(clientId: boriss, [Self.file("b.txt", "B")])
    try f.db.setSetting("visibility", "own", language: .en)
    try f.db.signIn(try f.db.findUser(login: "boris"))
    let boris = AttachmentService(db: f.db, userId: f.base.boris, language: .en)
    #expect(try boris.list().map(\.name) == ["b.txt"])
    #expect(try boris.list(clientId: annas).isEmpty)
    #expect(try boris.get(mine) == nil)
    #expect(throws: CRMError.self) { try boris.remove(mine) }
    #expect(throws: CRMError.self) { try boris.add(clientId: annas, [Self.file("c.txt", "C")]) }
  }
}
