import CRMCore
import Foundation
import TestSupport
import Testing

@Suite struct ActingUserTests {
  /// The product acts only as the signed-in user: the tests' stand-in initializer is called from
  /// no source file but its own.
  @Test func noProductCodeActsAsAnotherUser() throws {
    let sources = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources")
    let files = try #require(FileManager.default.enumerator(atPath: sources.path))
    var callers: [String] = []
    var seen = 0
    for case let file as String in files where file.hasSuffix(".swift") {
      seen += 1
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      if text.contains("actingAs:") && !file.hasSuffix("CRMCore/ServiceContext.swift") {
        callers.append(file)
      }
    }
    #expect(seen > 100, "Sources/ not found from \(sources.path)")
    #expect(callers.isEmpty, "act only as the signed-in user: \(callers)")
  }

  @Test func servicesActAsTheSignedInUser() throws {
    let db = try CRMDatabase(memory: SteppingClock(start: Date(timeIntervalSince1970: 0)))
    let context = ServiceContext(db: db, language: .en)
    #expect(context.user == nil)
    try db.signIn(login: "anna")
    #expect(context.user?.login == "anna")
    #expect(context.clients.userId == context.user?.id)
    try db.signIn(login: "boris")
    #expect(context.contacts.userId == db.viewer.user?.id)
    #expect(context.user?.login == "boris")
  }
}
