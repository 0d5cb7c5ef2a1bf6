import Foundation
import Testing

/// `crm … --help` speaks the language of the locale (or `--lang`): every subcommand of the
/// command tree, its abstract, its arguments' and options' help and ArgumentParser's own words.
@Suite struct HelpLanguageTests {
  static let russian = ["LANG": "ru_RU.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""]

  static func hasCyrillic(_ s: String) -> Bool {
    s.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }
  }

  /// The sections of a help text by heading (`ПАРАМЕТРЫ:` …), each as its lines.
  static func sections(_ help: String) -> [String: [String]] {
    var out: [String: [String]] = [:]
    var current = ""
    for line in help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if let first = line.first, first != " ", line.hasSuffix(":") || line.contains(": ") {
        current = String(line.prefix { $0 != ":" })
        out[current] = [String(line.drop { $0 != ":" }.dropFirst())]
      } else if !current.isEmpty {
        out[current, default: []].append(line)
      }
    }
    return out
  }

  /// The entries of an option, argument or subcommand section: the name (the text up to two
  /// spaces) and its description, the wrapped lines joined.
  static func entries(_ lines: [String]) -> [(name: String, text: String)] {
    var out: [(name: String, text: String)] = []
    for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let indent = line.prefix { $0 == " " }.count
      let body = line.dropFirst(indent)
      if indent == 2 {
        if let gap = body.range(of: "  ") {
          out.append(
            (
              String(body[..<gap.lowerBound]),
              body[gap.upperBound...].trimmingCharacters(in: .whitespaces)
            ))
        } else {
          out.append((String(body), ""))
        }
      } else if !out.isEmpty {
        out[out.count - 1].text += " " + body
      }
    }
    return out
  }

  @Test func everySubcommandsHelpIsRussianUnderARussianLocale() throws {
    var queue: [[String]] = [[]]
    var seen = 0
    var problems: [String] = []
    while !queue.isEmpty && seen < 400 {
      let path = queue.removeFirst()
      let r = try run(crmBinary, path + ["--help"], env: Self.russian)
      let name = (["crm"] + path).joined(separator: " ")
      #expect(r.status == 0, "\(name): \(r.err)")
      seen += 1
      let help = r.out
      for english in ["OVERVIEW:", "USAGE:", "OPTIONS:", "ARGUMENTS:", "SUBCOMMANDS:"] {
        if help.contains(english) { problems.append("\(name): heading \(english)") }
      }
      let s = Self.sections(help)
      if !Self.hasCyrillic(s["ОПИСАНИЕ"]?.joined(separator: " ") ?? "") {
        problems.append("\(name): no Russian abstract")
      }
      #expect(s["ИСПОЛЬЗОВАНИЕ"] != nil, "\(name): no usage\n\(help)")
      for heading in ["ПАРАМЕТРЫ", "АРГУМЕНТЫ"] {
        // A name too long for its column has its text after one space or on the next line.
        for entry in Self.entries(s[heading] ?? []) where !Self.hasCyrillic(entry.name + entry.text)
        {
          problems.append("\(name): \(entry.name) «\(entry.text)»")
        }
      }
      // The section ends at its first blank line (the pointer to `crm help` follows).
      let subcommands = (s["ПОДКОМАНДЫ"] ?? []).dropFirst().prefix { !$0.isEmpty }
      for entry in Self.entries(Array(subcommands)) {
        let sub = String(entry.name.split(separator: " ").first ?? "")
        guard sub.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
          sub.first?.isASCII == true
        else {
          problems.append("\(name): odd subcommand line «\(entry.name)»")
          continue
        }
        if !Self.hasCyrillic(entry.text) { problems.append("\(name) \(sub): «\(entry.text)»") }
        if sub != "help" { queue.append(path + [sub]) }
      }
    }
    #expect(problems.isEmpty, "left in English:\n\(problems.joined(separator: "\n"))")
    // The tree was walked, not just the root: crm has dozens of subcommands.
    #expect(seen > 100, "\(seen) commands")
  }

  @Test func langEnglishWinsOverARussianLocaleAndRussianWinsOverAnEnglishOne() throws {
    let en = try run(crmBinary, ["client", "add", "--help", "--lang", "en"], env: Self.russian)
    #expect(en.status == 0)
    #expect(en.out.contains("OVERVIEW: Add a client; prints its id."))
    #expect(en.out.contains("OPTIONS:"))
    #expect(en.out.contains("Show help information."))
    #expect(
      !Self.hasCyrillic(
        en.out.replacingOccurrences(of: "ООО, АО, ИП", with: "")
          .replacingOccurrences(of: "ИНН", with: "").replacingOccurrences(of: "КПП", with: "")
          .replacingOccurrences(of: "ОГРНИП", with: "").replacingOccurrences(of: "ОГРН", with: "")
          .replacingOccurrences(of: "БИК", with: "").replacingOccurrences(of: "р/с", with: "")
          .replacingOccurrences(of: "к/с", with: "")))
    let ru = try run(
      crmBinary, ["--lang", "ru", "client", "add", "--help"],
      env: ["LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""])
    #expect(ru.out.contains("ОПИСАНИЕ: Добавить клиента; выводит его номер."))
    #expect(ru.out.contains("ПАРАМЕТРЫ:"))
    #expect(ru.out.contains("Показать справку."))
    #expect(ru.out.contains("(по умолчанию: company)") || ru.out.contains("ИСПОЛЬЗОВАНИЕ:"))
    // LC_ALL outranks LANG, as gettext has it.
    let all = try run(
      crmBinary, ["deal", "--help"], env: ["LANG": "en_US.UTF-8", "LC_ALL": "ru_RU.UTF-8"])
    #expect(all.out.contains("ПОДКОМАНДЫ:"))
    // A usage error is Russian around the parser's own message.
    let bad = try run(crmBinary, ["client", "show"], env: Self.russian)
    #expect(bad.status == 1)
    #expect(bad.err.contains("Ошибка:"))
    #expect(bad.err.contains("Использование:") || bad.err.contains("Подробнее:"))
  }
}
