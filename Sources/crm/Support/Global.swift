import ArgumentParser
import CRMApp
import CRMBench
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// Options every subcommand takes.
struct Global: ParsableArguments {
  @Option(
    name: .long,
    help: tr(
      "Database file (default: $XDG_DATA_HOME/termcrm/crm.sqlite).",
      "Файл базы (по умолчанию: $XDG_DATA_HOME/termcrm/crm.sqlite)."))
  var db: String?

  @Option(
    name: .long,
    help: tr(
      "Act as this user (admins only; default: your OS account, created on first use).",
      "Действовать от имени этого пользователя (только администратор; по умолчанию ваша учётная запись ОС, создаётся при первом входе)."
    ))
  var user: String?

  @Option(
    name: .long,
    help: tr(
      "Language of messages: ru or en (default: from LANG).",
      "Язык сообщений: ru или en (по умолчанию: из LANG)."))
  var lang: String?

  var env: [String: String] { ProcessInfo.processInfo.environment }

  var language: Language {
    lang.flatMap(Language.init(argument:)) ?? Language.fromEnvironment(env)
  }

  func validate() throws {
    if let lang, Language(argument: lang) == nil {
      throw ValidationError(
        tr("--lang must be ru or en, not \(lang)", "--lang — ru или en, а не \(lang)"))
    }
  }

  var path: String { db ?? CRMDatabase.defaultPath(env) }

  /// The global options' names: they may also come before the subcommand.
  static let names: Set<String> = ["--db", "--user", "--lang"]

  /// `crm --db F --user U client list` as `crm client list --db F --user U`: the global options
  /// given before the first subcommand word move to just after the subcommand's words, so the
  /// parser (and the `remind --short` fast path) sees them where every subcommand takes them.
  /// Anything else (no subcommand word, `--help` first, a missing value) is left as it is.
  static func placedAfterSubcommand(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var i = 0
    while i < arguments.count {
      let arg = arguments[i]
      if let eq = arg.firstIndex(of: "="), names.contains(String(arg[..<eq])) {
        leading.append(arg)
        i += 1
      } else if names.contains(arg), i + 1 < arguments.count {
        leading += [arg, arguments[i + 1]]
        i += 2
      } else {
        break
      }
    }
    guard !leading.isEmpty, i < arguments.count, !arguments[i].hasPrefix("-") else {
      return arguments
    }
    var end = i
    while end < arguments.count, !arguments[end].hasPrefix("-") { end += 1 }
    return Array(arguments[i..<end]) + leading + Array(arguments[end...])
  }

  /// Opens the database and signs in as `--user` (or `$USER`): every query after this shows
  /// only what that user may see. There is no other way for a command to open the database.
  func open(readOnly: Bool = false) throws -> CRMDatabase {
    let database = try CRMDatabase(path: path, readOnly: readOnly, language: language)
    try checkActingAs(database)
    try database.signIn(login: login, language: language)
    return database
  }

  /// The OS account running crm (`getpwuid(getuid())`; `$USER` and `$LOGNAME` are not asked,
  /// anyone can set them): the login crm acts as.
  static let osLogin: String = {
    guard let pw = getpwuid(getuid()), let name = pw.pointee.pw_name else {
      return "uid\(getuid())"
    }
    return String(cString: name)
  }()

  /// Who this command acts as: `--user` when that is allowed (see `checkActingAs`), else the OS
  /// account. Only root, who can become any account anyway (`su`), may also name it in
  /// `$USER` (as `sudo -E` or a test harness does); for everyone else `$USER` is ignored.
  var login: String {
    if let user { return user }
    if getuid() == 0, let name = env["USER"], !name.isEmpty { return name }
    return Self.osLogin
  }

  /// `--user` naming someone other than the OS account is for admins: root (who can become
  /// any account anyway), or an OS account that is itself an active admin of this database.
  /// Anyone else is refused before anything is read or changed.
  func checkActingAs(_ database: CRMDatabase) throws {
    guard let wanted = user.map(TextFold.sanitizeLine), wanted != Self.osLogin, getuid() != 0
    else { return }
    let me = try core(self) { try database.findUser(login: Self.osLogin) }
    if let me, me.role == .admin, me.active { return }
    throw Failure(
      message: language.pick(
        "--user \(wanted): only an admin may act as someone else; you are «\(Self.osLogin)»"
          + (me.map { " (\($0.role.rawValue))" } ?? " (not a user of this database)")
          + ". Run crm without --user. Nothing was changed.",
        "--user \(wanted): действовать от имени другого может только администратор; вы — «\(Self.osLogin)»"
          + (me.map { " (\($0.role.rawValue))" } ?? " (не пользователь этой базы)")
          + ". Запустите crm без --user. Ничего не изменено."), code: 1)
  }
}

/// An error already phrased for the user, with its exit code.
struct Failure: Error {
  let message: String
  let code: Int32
}

func fail(_ e: CRMError, _ g: Global) -> Failure {
  Failure(message: e.message(g.language), code: e.exitCode)
}

/// Runs a core call, turning its error into a user-facing failure.
func core<T>(_ g: Global, _ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as CRMError { throw fail(e, g) }
}
