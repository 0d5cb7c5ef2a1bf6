import CRMCore
import Foundation
import TOMLKit

#if canImport(Glibc)
  import Glibc
#endif

/// The person's own settings, in `$XDG_CONFIG_HOME/termcrm/config.toml` (by default
/// `~/.config/termcrm/config.toml`). Everything that names a program to run lives here or on the
/// command line, never in the shared database: whoever can write the database file could
/// otherwise make every colleague run anything.
///
/// ```toml
/// notify_command = "notify-send TermCRM \"$CRM_MESSAGE\""
/// ```
public struct UserConfig: Equatable, Sendable {
  /// What `crm pane` runs (through `/bin/sh -c`, with `$CRM_MESSAGE`) when a reminder comes due.
  public var notifyCommand: String?
  /// The user's own e-mail addresses (comma-separated), which make logged mail outgoing.
  public var mailFrom: String?

  /// The keys the file may hold. The mail, SMS and opener commands are reserved for the
  /// features that will run them.
  public static let keys = [
    "notify_command", "mail_command", "sms_command", "opener", "mail_from",
  ]

  public init(notifyCommand: String? = nil) {
    self.notifyCommand = notifyCommand
  }

  /// Where the file is for this environment.
  public static func path(_ env: [String: String]) -> String {
    if let xdg = env["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/termcrm/config.toml" }
    let home = env["HOME"] ?? NSHomeDirectory()
    return home + "/.config/termcrm/config.toml"
  }

  /// Reads the file at `path`: none is an empty configuration. A file that someone else could
  /// have written (another owner, or group/world-writable) is refused, as ssh refuses such a
  /// config: its commands would run as you. A syntax error or a wrong value names the line.
  public static func load(_ path: String, language l: Language) throws(FunnelConfigError)
    -> UserConfig
  {
    let name = path
    func fail(_ line: Int?, _ message: String) -> FunnelConfigError {
      FunnelConfigError(fileName: name, line: line, message: message)
    }
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return UserConfig() }
      if errno == ELOOP {
        throw fail(
          nil, l.pick("is a symbolic link; it is not read", "символическая ссылка; не читается"))
      }
      throw fail(nil, String(cString: strerror(errno)))
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
      throw fail(nil, l.pick("is not a regular file", "не обычный файл"))
    }
    if st.st_uid != geteuid() || st.st_mode & 0o022 != 0 {
      throw fail(
        nil,
        l.pick(
          "others could write it (owner or mode \(String(st.st_mode & 0o777, radix: 8))); its "
            + "commands would run as you. Make it yours and chmod 600.",
          "его могут изменить другие (владелец или права \(String(st.st_mode & 0o777, radix: 8))); "
            + "его команды выполнились бы от вашего имени. Сделайте файл своим и chmod 600."))
    }
    let data = (try? handle.readToEnd()) ?? Data()
    return try parse(String(decoding: data, as: UTF8.self), fileName: name, language: l)
  }

  /// Parses the text of a config file.
  public static func parse(_ text: String, fileName: String, language l: Language)
    throws(FunnelConfigError) -> UserConfig
  {
    func fail(_ line: Int?, _ message: String) -> FunnelConfigError {
      FunnelConfigError(fileName: fileName, line: line, message: message)
    }
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let e as TOMLParseError {
      throw fail(e.source.begin.line, l.pick("TOML syntax: ", "синтаксис TOML: ") + e.description)
    } catch {
      throw fail(nil, l.pick("TOML syntax: ", "синтаксис TOML: ") + "\(error)")
    }
    /// The line a key is on (TOMLKit keeps no positions for values).
    func line(of key: String) -> Int? {
      for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix(key + " ") || t.hasPrefix(key + "=") || t.hasPrefix("[" + key + "]")
          || t.hasPrefix("[" + key + ".") || t.hasPrefix("[[" + key)
        {
          return i + 1
        }
      }
      return nil
    }
    var config = UserConfig()
    for key in root.keys.sorted() {
      guard keys.contains(key) else {
        throw fail(
          line(of: key),
          l.pick(
            "unknown key «\(key)»; known: \(keys.joined(separator: ", "))",
            "неизвестный ключ «\(key)»; есть: \(keys.joined(separator: ", "))"))
      }
      guard let value = root[key]?.string else {
        throw fail(line(of: key), l.pick("\(key) must be a string", "\(key) — это строка"))
      }
      let clean = TextFold.sanitizeLine(value)
      if key == "notify_command" { config.notifyCommand = clean.isEmpty ? nil : clean }
      if key == "mail_from" { config.mailFrom = clean.isEmpty ? nil : clean }
    }
    return config
  }
}
