import CRMCore
import Foundation
import Testing

@testable import CRMApp
@testable import TerminalUI

/// True when the text holds a control character other than the line breaks of `Canvas.text`.
private func hasControl(_ text: String) -> Bool {
  text.unicodeScalars.contains { s in
    (s.value < 0x20 && s.value != 10) || (0x7F...0x9F).contains(s.value)
  }
}

@MainActor
@Suite struct TerminalRobustnessTests {
  /// Sizes a resize storm goes through: tiny, narrow, short, huge, and back.
  static let sizes: [(rows: Int, cols: Int)] = [
    (10, 20), (1, 1), (24, 80), (3, 200), (60, 30), (0, 0), (23, 79), (50, 160), (24, 81),
    (2, 2), (40, 120), (10, 20), (25, 80),
  ]

  @Test func resizeStormsOnEveryTabNeverCrashAndEndOnACorrectFrame() throws {
    let (app, term, _) = try makeApp(demo: 40)
    app.render()
    for tab in 1...6 {
      term.resize(rows: 24, cols: 80)
      app.handle(.resize)
      app.handle(.char(Character("\(tab)")))
      app.render()
      #expect(app.current.tab == tab)
      for round in 0..<3 {
        for (i, s) in Self.sizes.enumerated() {
          term.resize(rows: s.rows, cols: s.cols)
          app.handle(.resize)
          // A key between resizes, as a person would press while dragging the window.
          app.handle([Key.down, .up, .pageDown, .right, .left][(i + round) % 5])
          app.render()
          #expect(term.frame.size == Size(rows: s.rows, cols: s.cols))
        }
      }
      term.resize(rows: 24, cols: 80)
      app.handle(.resize)
      app.render()
      #expect(app.running)
      #expect(term.frame.size == Size(rows: 24, cols: 80))
      // The final frame is the tab's normal layout: the header with all six tabs, the hints.
      #expect(term.line(0).contains("\(tab) " + App.tabTitles(.ru)[tab - 1]))
      #expect(term.line(23).contains("?"))
      #expect(!term.text.contains("слишком маленькое"))
    }
  }

  @Test func aTwentyByTenWindowShowsTheWholeSizeNoticeAndRecovers() throws {
    let (app, term, _) = try makeApp(demo: 10)
    term.resize(rows: 10, cols: 20)
    app.handle(.resize)
    app.render()
    let text = term.text
    #expect(text.contains("слишком"))
    #expect(text.contains("маленькое"))
    #expect(text.contains("20×10"))
    #expect(text.contains("80×20"))
    #expect(text.contains("q"))
    for line in text.split(separator: "\n") { #expect(TextWidth.of(String(line)) <= 20) }
    // Keys other than q do nothing while too small; the list is back after enlarging.
    app.handle(.char("2"))
    #expect(app.current.tab == 1)
    term.resize(rows: 24, cols: 80)
    app.handle(.resize)
    app.render()
    #expect(term.text.contains("клиентов: 10"))
    #expect(app.running)
  }

  @Test func oneByOneAndZeroSizesRenderAndQStillQuits() throws {
    let (app, term, _) = try makeApp(demo: 5)
    for s in [(1, 1), (0, 0), (1, 80), (24, 1), (0, 80)] {
      term.resize(rows: s.0, cols: s.1)
      app.handle(.resize)
      app.render()
      #expect(app.running)
    }
    term.resize(rows: 1, cols: 1)
    app.render()
    #expect(term.line(0).count == 1)
    app.handle(.char("q"))
    #expect(!app.running)
  }

  @Test func pasteIntoTheSearchBoxKeepsTextWithoutControlCharacters() throws {
    let (app, term, _) = try makeApp(demo: 30)
    app.render()
    app.handle(.char("/"))
    app.handle(.paste("Ро\u{1B}[31mма\u{07}шка\r\nООО\u{1B}]0;title\u{07}\u{9B}2J\u{0}"))
    app.render()
    let screen = try #require(app.current as? ClientsScreen)
    #expect(screen.searchInput.text == "Ромашка ООО")
    #expect(!hasControl(screen.searchInput.text))
    #expect(!hasControl(term.text))
    #expect(!term.text.contains("[31m"))
  }

  @Test func strayControlCharactersTypedAsKeysAreNotText() throws {
    let (app, term, _) = try makeApp(demo: 5)
    app.render()
    app.handle(.char("/"))
    for c in ["\u{1B}", "\u{7}", "\u{0}", "\u{9B}", "\u{7F}", "\r\n"] {
      app.handle(.char(Character(c)))
    }
    app.handle(.char("a"))
    app.render()
    let screen = try #require(app.current as? ClientsScreen)
    #expect(screen.searchInput.text == "a")
    #expect(!hasControl(term.text))
  }

  @Test func aPasteOutsideATextFieldRunsNoCommands() throws {
    let (app, term, _) = try makeApp(demo: 5)
    app.render()
    app.handle(.paste("q2?d"))
    app.render()
    #expect(app.running)
    #expect(app.current.tab == 1)
    #expect(term.text.contains("клиентов: 5"))
  }

  @Test func pasteIntoAFormFieldIsCleanedAndSaved() throws {
    let (app, term, db) = try makeApp()
    app.render()
    app.handle(.char("a"))
    app.handle(.paste("Рога\u{1B}[2J и\tкопыта\u{1B}[201~"))
    app.render()
    #expect(!hasControl(term.text))
    #expect(term.text.contains("Рога и копыта"))
    app.handle(.ctrl("s"))
    app.render()
    let names = try db.read { db in try String.fetchAll(db, sql: "SELECT name FROM client") }
    #expect(names == ["Рога и копыта"])
  }

  @Test func theLocaleWarningIsShownOnTheStatusLine() throws {
    let (app, term, _) = try makeApp(lang: .en)
    app.warnLocaleNotUTF8()
    app.render()
    #expect(term.line(22).contains("locale is not UTF-8: Cyrillic may not display"))
    #expect(term.line(22).contains("LANG=ru_RU.UTF-8"))
  }
}
