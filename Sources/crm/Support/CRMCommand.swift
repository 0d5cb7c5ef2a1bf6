import ArgumentParser
import CRMApp
import CRMCore
import Foundation

/// A subcommand that works on the database: it takes the global options, and its body gets a
/// `Session` already opened and signed in. A core error thrown anywhere in the body becomes the
/// user-facing failure here, once, so the body calls the core with a plain `try`.
protocol CRMCommand: ParsableCommand {
  var global: Global { get }
  /// Opens the database read-only (a command that never writes).
  static var readOnly: Bool { get }
  /// Checks of the typed values that need no database, before it is opened (or created).
  func check() throws
  func run(_ session: Session) throws
}

extension CRMCommand {
  static var readOnly: Bool { false }

  func check() throws {}

  func run() throws {
    try Session.run(global, readOnly: Self.readOnly) {
      try check()
    } body: {
      try run($0)
    }
  }
}

/// The opened database, signed in as `--user`, and what the core and the screens are made from.
struct Session {
  let global: Global
  let database: CRMDatabase
  /// The core's context: every core service comes from it (`session.context.clients`…).
  let context: ServiceContext

  /// Runs `checks`, opens the session and runs `body` with it; a core error thrown by either
  /// becomes the user-facing failure. The base's `run()`, and `crm remind --short`'s fast path
  /// outside the parser.
  static func run(
    _ global: Global, readOnly: Bool, _ checks: () throws -> Void = {},
    body: (Session) throws -> Void
  ) throws {
    do {
      try checks()
      try body(Session(global, readOnly: readOnly))
    } catch let e as CRMError {
      throw fail(e, global)
    }
  }

  init(_ global: Global, readOnly: Bool = false) throws {
    self.global = global
    database = try global.open(readOnly: readOnly)
    context = ServiceContext(db: database, language: global.language)
  }

  var language: Language { global.language }

  /// The acting user, for commands that write: a database opened without one (read-only) is an
  /// environment error.
  func writer() throws(CRMError) -> User {
    guard let me = context.user else { throw .readOnly(path: database.path) }
    return me
  }

  /// The screens' context (for commands that reuse what the interface computes).
  var app: AppContext { AppContext(db: database, language: language) }
}
