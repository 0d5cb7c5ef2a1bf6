import Foundation
import Testing

@testable import TerminalUI

@Suite struct CanvasTests {
  @Test func cyrillicTakesOneColumnWideCharactersTwo() {
    #expect(TextWidth.of("Ромашка") == 7)
    #expect(TextWidth.of("ёЁйЙ") == 4)
    #expect(TextWidth.of("日本") == 4)
    #expect(TextWidth.of("е\u{0308}") == 1)
    var c = Canvas(size: Size(rows: 2, cols: 10))
    let end = c.put(0, 0, "Я日本x")
    #expect(end == 6)
    #expect(c.line(0) == "Я日本x    ")
    #expect(c[0, 2].continuation)
  }

  @Test func matchesTheCLibraryUnderUTF8() {
    guard setlocale(LC_CTYPE, "C.UTF-8") != nil else { return }
    for ch in "AzЖжЁё日本한" {
      let scalar = ch.unicodeScalars.first!
      #expect(TextWidth.of(scalar) == NCursesTerminal.systemWidth(scalar), "\(ch)")
    }
  }

  @Test func clipsAtTheEdgeWithoutSplittingAWideCharacter() {
    var c = Canvas(size: Size(rows: 1, cols: 5))
    c.put(0, 0, "abcd日")
    #expect(c.line(0) == "abcd ")
    c.put(0, 3, "Привет", maxWidth: 1)
    #expect(c.line(0) == "abcП ")
    c.put(5, 0, "off the canvas")
    c.put(0, -2, "xyzw")
    #expect(c.line(0) == "zwcП ")
  }

  @Test func controlCharactersNeverReachTheTerminal() {
    var c = Canvas(size: Size(rows: 1, cols: 12))
    c.put(0, 0, "a\u{1B}[2Jb\u{07}\u{9B}")
    #expect(
      !c.line(0).unicodeScalars.contains { $0.value < 0x20 || (0x80...0x9F).contains($0.value) })
    #expect(c.line(0).hasPrefix("a\u{FFFD}[2Jb"))
  }

  @Test func truncateAndFit() {
    #expect(TextWidth.truncate("Ромашка", to: 4) == "Ром…")
    #expect(TextWidth.truncate("Ром", to: 4) == "Ром")
    #expect(TextWidth.fit("日本語", to: 4) == "日… ")
    #expect(TextWidth.fit("7", to: 3, alignRight: true) == "  7")
  }
}

@Suite struct WidgetTests {
  @Test func textInputEditsWithCursorAndWideCharacters() {
    var t = TextInput()
    for ch in "Рмашка" { _ = t.handle(.char(ch)) }
    for _ in 0..<5 { _ = t.handle(.left) }
    _ = t.handle(.char("о"))
    #expect(t.text == "Ромашка")
    _ = t.handle(.end)
    _ = t.handle(.backspace)
    #expect(t.text == "Ромашк")
    _ = t.handle(.home)
    _ = t.handle(.delete)
    #expect(t.text == "омашк")
    _ = t.handle(.end)
    for ch in " ООО" { _ = t.handle(.char(ch)) }
    _ = t.handle(.ctrl("w"))
    #expect(t.text == "омашк ")
    _ = t.handle(.ctrl("u"))
    #expect(t.text == "")
    let used = t.handle(.function(5))
    #expect(!used)
  }

  @Test func textInputScrollsToKeepTheCursorVisible() {
    var t = TextInput(String(repeating: "ж", count: 30) + "日")
    var c = Canvas(size: Size(rows: 1, cols: 10))
    t.draw(&c, row: 0, col: 0, width: 10, style: .plain, focused: true)
    #expect(c.line(0).contains("日"))
    #expect(c.cursor?.col == 9)
  }

  @Test func listStateMovesAndClamps() {
    var s = ListState(count: 100)
    s.visible = 10
    var moved = false
    moved = s.move(.char("j"))
    #expect(moved)
    #expect(s.selected == 1)
    moved = s.move(.char("G"))
    #expect(moved)
    #expect(s.selected == 99 && s.top == 90)
    moved = s.move(.pageUp)
    #expect(moved)
    #expect(s.selected == 89 && s.top == 80)
    moved = s.move(.char("g"))
    #expect(moved)
    #expect(s.selected == 0 && s.top == 0)
    moved = s.move(.char("о"))  // Russian layout j
    #expect(moved)
    #expect(s.selected == 1)
    moved = s.move(.char("x"))
    #expect(!moved)
    s.count = 0
    s.clamp()
    #expect(s.selected == 0 && s.top == 0)
  }

  @Test func columnsDropFromTheRightToKeepTheNameReadable() {
    let cols = [
      Column("Name", width: 0), Column("City", width: 15), Column("Phone", width: 18),
      Column("Owner", width: 16),
    ]
    let wide = layoutColumns(cols, total: 200)
    #expect(wide == [148, 15, 18, 16])
    let narrow = layoutColumns(cols, total: 60)
    #expect(narrow[0] >= 24)
    #expect(narrow.reduce(0, +) + narrow.filter { $0 > 0 }.count - 1 <= 60)
  }

  @Test func formMovesBetweenFieldsAndSubmits() {
    var f = Form(
      title: "T", fields: [FormField(key: "a", label: "A"), FormField(key: "b", label: "B")])
    #expect(f.handle(.char("x")) == .none)
    #expect(f.handle(.enter) == .none)
    #expect(f.focus == 1)
    #expect(f.handle(.char("y")) == .none)
    #expect(f.handle(.enter) == .submit)
    #expect(f.value("a") == "x" && f.value("b") == "y")
    #expect(f.handle(.ctrl("s")) == .submit)
    #expect(f.handle(.escape) == .cancel)
    f.setError("a", "bad")
    #expect(f.focus == 0)
    var c = Canvas(size: Size(rows: 10, cols: 80))
    f.draw(&c, top: 0, rows: 10, width: 80)
    #expect(c.text.contains("bad"))
  }

  @Test func keyTableUnderstandsTheRussianLayout() {
    let t = KeyTable(
      title: "t",
      [
        KeyBinding([.char("a")], "add", help: "add", hint: "add"),
        KeyBinding([.char("/")], "search", help: "search"),
      ])
    #expect(t.action(for: .char("a")) == "add")
    #expect(t.action(for: .char("ф")) == "add")
    #expect(t.action(for: .char(".")) == "search")
    #expect(t.action(for: .char("z")) == nil)
    #expect(t.hints.map(\.1) == ["add"])
  }

  @Test func ncursesCharacterDecoding() {
    #expect(NCursesTerminal.characterKey(13) == .enter)
    #expect(NCursesTerminal.characterKey(27) == .escape)
    #expect(NCursesTerminal.characterKey(127) == .backspace)
    #expect(NCursesTerminal.characterKey(19) == .ctrl("s"))
    #expect(NCursesTerminal.characterKey(0x416) == .char("Ж"))
  }
}
