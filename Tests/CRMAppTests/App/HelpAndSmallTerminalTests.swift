import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// The `?` help: generated from the key tables, scrolled when taller than the window, nothing
/// cut; and the screens at 80×20 (a `crm pane` split below the interface).
@MainActor
@Suite struct HelpAndSmallTerminalTests {
  /// Every page of a table's help at `size`: the keys column split into key labels, the help
  /// column as one text (wrapped lines joined).
  static func readHelp(_ table: KeyTable<Action>, _ size: Size) -> (keys: Set<String>, text: String)
  {
    let layout = HelpLayout(table: table, size: size)
    var keys: Set<String> = []
    var text = ""
    var offset = 0
    var lastLine = -1
    while true {
      var canvas = Canvas(size: size)
      drawHelp(&canvas, table: table, offset: offset) { _, _, _ in "" }
      let first = layout.clamp(offset)
      for i in 0..<layout.visible where first + i < layout.lines.count && first + i > lastLine {
        let row = Array(canvas.line(layout.top + 1 + i))
        let left = layout.left + 2
        let keyCells = String(row[left..<min(row.count, left + layout.keyWidth)])
        let helpCells = String(row[min(row.count, left + layout.keyWidth + 2)...])
          .replacingOccurrences(of: "│", with: "")
        // `/` alone is the search key, not a separator.
        if keyCells.trimmingCharacters(in: .whitespaces) == "/" { keys.insert("/") }
        for k in keyCells.split(separator: "/") {
          let t = k.trimmingCharacters(in: .whitespaces)
          if !t.isEmpty { keys.insert(t) }
        }
        text += " " + helpCells.trimmingCharacters(in: .whitespaces)
        lastLine = first + i
      }
      if first >= layout.maxOffset { break }
      offset = first + layout.visible
    }
    return (keys, text)
  }

  static func squeeze(_ s: String) -> String {
    s.filter { !$0.isWhitespace && $0 != "▲" && $0 != "▼" }
  }

  @Test func everyBoundKeyOfEveryScreenIsInItsHelpWholeAt80x24And80x20() {
    for l in Language.allCases {
      for table in KeyTables.all(l) {
        for size in [Size(rows: 24, cols: 80), Size(rows: 20, cols: 80)] {
          let help = Self.readHelp(table, size)
          let text = Self.squeeze(help.text)
          for binding in table.bindings {
            for key in binding.keys {
              // Space is shown as the word.
              #expect(
                help.keys.contains(key.label),
                "\(table.title) \(size.rows) rows: key \(key.label) missing")
            }
            #expect(
              text.contains(Self.squeeze(binding.help)),
              "\(table.title) \(size.rows) rows: «\(binding.help)» cut or missing")
          }
        }
      }
    }
  }

  @Test func theClientsHelpScrollsToItsLastKeyAt80x24() throws {
    let (app, term, _) = try makeApp(demo: 5)
    app.render()
    press(app, term, .char("?"))
    #expect(term.text.contains("поиск по мере ввода"))
    #expect(term.text.contains("из"))
    #expect(!term.text.contains("выход"))
    #expect(!term.text.contains("Любая клавиша закрывает"))
    // j scrolls a line; G goes to the end, where the last keys are.
    press(app, term, .char("j"))
    #expect(term.text.contains("2–"))
    press(app, term, .char("G"))
    for words in [
      "передать клиента", "корзина / клиенты", "восстановить из корзины", "вероятные дубли",
      "отметить клиента", "отметить всех по поиску", "изменить отмеченных", "выход",
    ] {
      #expect(term.text.contains(words), "\(words)\n\(term.text)")
    }
    #expect(term.text.contains("Space"))
    for r in 0..<24 { #expect(TextWidth.of(term.line(r)) <= 80) }
    // Russian layout keys scroll too: п = g, back to the top.
    press(app, term, .char("п"))
    #expect(term.text.contains("поиск по мере ввода"))
    // Any other key closes, and is not acted on.
    press(app, term, .char("a"))
    #expect(!term.text.contains("поиск по мере ввода"))
    #expect(app.current is ClientsScreen)
  }

  @Test func aShortHelpSaysAnyKeyCloses() throws {
    let (app, term, _) = try makeApp(rows: 60, cols: 100, lang: .en)
    app.render()
    press(app, term, .char("?"))
    #expect(term.text.contains("Any key closes"))
  }
}
