import ArgumentParser
import CRMCore
import Foundation

/// The language of `--help`, usage and parse errors. ArgumentParser evaluates the help strings
/// when it builds the command types (the static configurations on first use, the option
/// wrappers when a command is instantiated), so choosing the language once, before parsing,
/// from `--lang` in the arguments or else the environment (as `Global.language` does for the
/// rest), turns every abstract, discussion and option help into that language.
enum HelpLanguage {
  /// Set once by `main.swift` before parsing and read only afterwards.
  nonisolated(unsafe) static var current: Language = .en

  /// `--lang X` / `--lang=X` anywhere before `--`, else `LC_ALL`/`LC_MESSAGES`/`LANG`.
  static func choose(_ arguments: [String], environment: [String: String]) -> Language {
    var i = 0
    while i < arguments.count, arguments[i] != "--" {
      let arg = arguments[i]
      if arg == "--lang", i + 1 < arguments.count,
        let l = Language(argument: arguments[i + 1])
      {
        return l
      }
      if arg.hasPrefix("--lang="), let l = Language(argument: String(arg.dropFirst(7))) {
        return l
      }
      i += 1
    }
    return Language.fromEnvironment(environment)
  }

  /// ArgumentParser's own words in a help or usage text, in Russian: the section headings,
  /// `--help`/`--version`, defaults and the pointers to more help. Lines are matched whole or
  /// by their start, so text from our commands is never changed.
  static func translated(_ text: String) -> String {
    guard current == .ru else { return text }
    let headings = [
      "OVERVIEW:": "ОПИСАНИЕ:", "USAGE:": "ИСПОЛЬЗОВАНИЕ:", "ARGUMENTS:": "АРГУМЕНТЫ:",
      "OPTIONS:": "ПАРАМЕТРЫ:", "SUBCOMMANDS:": "ПОДКОМАНДЫ:",
    ]
    var lines: [String] = []
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = String(raw)
      for (en, ru) in headings where line.hasPrefix(en) {
        line = ru + line.dropFirst(en.count)
      }
      if line.hasPrefix("Usage: ") { line = "Использование: " + line.dropFirst(7) }
      if line.hasPrefix("Error: ") { line = "Ошибка: " + line.dropFirst(7) }
      line = line.replacingOccurrences(of: "Show help information.", with: "Показать справку.")
      line = line.replacingOccurrences(of: "Show the version.", with: "Показать версию.")
      line = line.replacingOccurrences(of: "(default: ", with: "(по умолчанию: ")
      line = line.replacingOccurrences(of: "(values: ", with: "(значения: ")
      // The default subcommand's mark, keeping the description column where it was.
      if let range = line.range(of: " (default)") {
        let after = line[range.upperBound...]
        let spaces = after.prefix { $0 == " " }.count
        // " (по умолчанию)" is 5 characters longer than " (default)".
        let padding = spaces >= 2 ? max(2, spaces - 5) : spaces
        line =
          String(line[..<range.lowerBound]) + " (по умолчанию)"
          + String(repeating: " ", count: padding) + after.dropFirst(spaces)
      }
      if line.hasPrefix("Help: ") { line = "Справка: " + line.dropFirst(6) }
      if let match = line.firstMatch(
        of: #/^(\s*)See '(.+)' for (?:detailed help|more information)\.$/#)
      {
        line = "\(match.1)Подробнее: \(match.2)"
      }
      if line.hasPrefix("Ошибка: ") { line = "Ошибка: " + parserError(String(line.dropFirst(8))) }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}

extension HelpLanguage {
  /// ArgumentParser's usage errors in Russian; the names they quote are kept as typed.
  static func parserError(_ text: String) -> String {
    if let m = text.firstMatch(of: #/^Missing expected argument (.+)$/#) {
      return "не хватает аргумента \(m.1)"
    }
    if let m = text.firstMatch(of: #/^Missing value for (.+)$/#) {
      return "не указано значение \(m.1)"
    }
    if let m = text.firstMatch(of: #/^Unknown options? (.+)$/#) {
      return "неизвестный параметр \(m.1)"
    }
    if let m = text.firstMatch(of: #/^Unexpected arguments? (.+)$/#) {
      return "лишний аргумент \(m.1)"
    }
    if let m = text.firstMatch(of: #/^The value (.+) is invalid for (.+)$/#) {
      return "значение \(m.1) не подходит для \(m.2)"
    }
    return text
  }
}

/// The English or the Russian text, by the language `--help` speaks (`HelpLanguage`).
func tr(_ english: String, _ russian: String) -> String {
  HelpLanguage.current.pick(english, russian)
}

/// The same, as an option's or argument's help.
func tr(_ english: String, _ russian: String) -> ArgumentHelp {
  ArgumentHelp(HelpLanguage.current.pick(english, russian))
}
