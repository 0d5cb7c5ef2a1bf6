import CRMCore
import Foundation
import TestSupport

/// A fresh temporary folder per test, removed by the caller with `cleanup()`.
struct TempDir {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "termcrm-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  func file(_ name: String) -> String { path + "/" + name }
  func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

let testStart = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18

func memoryDB() throws -> CRMDatabase {
  try CRMDatabase(memory: SteppingClock(start: testStart))
}

func service(_ db: CRMDatabase, login: String = "anna", lang: Language = .en) throws
  -> ClientService
{
  let user = try db.user(login: login)
  return ClientService(db: db, userId: user?.id, language: lang)
}

extension ClientService {
  /// `u` on the card of `client` opened before everything: the signed-in user's latest change
  /// to it undone; nil when there is none.
  @discardableResult
  func undoLatest(on client: Int64) throws -> UndoStep? {
    guard let step = try undoable(client: client, since: 0) else { return nil }
    return try undo(step.changeId)
  }
}
