import Foundation

/// Every error TermCRM reports to a person: a message in their language and an exit code
/// (1 for bad input, 2 for the environment: database unreadable, locked, not ours, newer).
public enum CRMError: Error, Equatable, Sendable {
  case invalid(field: String, problem: String)
  case notFound(what: String, id: Int64)
  case notADatabase(path: String)
  case notTermCRM(path: String)
  case newerSchema(path: String, version: Int, supported: Int)
  case locked(path: String, seconds: Double)
  case unreadable(path: String, reason: String)
  case readOnly(path: String)
  case diskFull(path: String)
  /// Reading or writing the file failed below SQLite (a failing disk, a file size limit).
  /// `sizeLimit`: the process's file size limit (`ulimit -f`) in bytes, when one is set.
  case ioError(path: String, reason: String, sizeLimit: UInt64? = nil)
  /// The acting user's role does not allow this (the text says which role does).
  case forbidden(String)
  /// A save whose row changed since the edit started (see `Conflict`): nothing was saved.
  case conflict(Conflict)
  case other(String)

  public var exitCode: Int32 {
    switch self {
    case .invalid, .notFound, .forbidden, .conflict, .other: return 1
    default: return 2
    }
  }

  /// A rejected row's field and reason: those of `.invalid`; no field and the message otherwise.
  func fieldAndReason(_ lang: Language) -> (field: String, reason: String) {
    if case .invalid(let field, let problem) = self { return (field, problem) }
    return ("", message(lang))
  }

  /// Human text; validation problems already arrive localized from the validator.
  public func message(_ lang: Language) -> String {
    switch self {
    case .invalid(let field, let problem):
      return "\(field): \(problem)"
    case .notFound(let what, let id):
      return lang.pick("no \(what) with id \(id)", "нет объекта «\(what)» с номером \(id)")
    case .notADatabase(let path):
      return lang.pick(
        "\(path) is not an SQLite database; it was left untouched. Pass another file with --db.",
        "\(path) — не база SQLite; файл не тронут. Укажите другой файл через --db.")
    case .notTermCRM(let path):
      return lang.pick(
        "\(path) is an SQLite database of another program; it was left untouched. Pass another file with --db.",
        "\(path) — база SQLite другой программы; файл не тронут. Укажите другой файл через --db.")
    case .newerSchema(let path, let version, let supported):
      return lang.pick(
        "\(path) was written by a newer TermCRM (schema \(version), this one knows up to \(supported)); it was left untouched. Update crm.",
        "\(path) записана более новой версией TermCRM (схема \(version), эта знает до \(supported)); файл не тронут. Обновите crm."
      )
    case .locked(let path, let seconds):
      return lang.pick(
        "\(path) is locked by another process for more than \(Int(seconds)) s; try again when it finishes.",
        "\(path) заблокирована другим процессом дольше \(Int(seconds)) с; повторите, когда он закончит."
      )
    case .unreadable(let path, let reason):
      return lang.pick("cannot open \(path): \(reason)", "не удаётся открыть \(path): \(reason)")
    case .readOnly(let path):
      return lang.pick(
        "the database is open read-only, changes are not possible (\(path))",
        "база открыта только для чтения, изменения невозможны (\(path))")
    case .diskFull(let path):
      return lang.pick(
        "the disk holding \(path) is full; nothing was changed. Free some space and retry.",
        "диск с \(path) заполнен; ничего не изменено. Освободите место и повторите.")
    case .ioError(let path, let reason, let limit):
      let note = limit.map {
        lang.pick(
          "; the file size limit (ulimit -f) is \($0) bytes",
          "; ограничение размера файла (ulimit -f) — \($0) байт")
      }
      return lang.pick(
        "disk I/O error on \(path) (\(reason))\(note ?? ""); this action was not saved and nothing is half-written. Check the disk (free space, dmesg), then run crm check.",
        "ошибка ввода-вывода диска с \(path) (\(reason))\(note ?? ""); действие не сохранено, ничего не записано наполовину. Проверьте диск (место, dmesg), затем выполните crm check."
      )
    case .forbidden(let text):
      return text
    case .conflict(let c):
      return c.message(lang)
    case .other(let text):
      return text
    }
  }
}
