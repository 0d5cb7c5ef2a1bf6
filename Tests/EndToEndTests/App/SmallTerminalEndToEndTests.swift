import Foundation
import Testing

/// The real `crm` in tmux: `?` help scrolls to its last key at 80×24, and every main screen
/// works at 80×20 (a manager with a `crm pane` split below the interface).
@Suite(.serialized) struct SmallTerminalEndToEndTests {
  static func widthOK(_ screen: String) -> Bool {
    screen.split(separator: "\n").allSatisfy { $0.count <= 80 }
  }

  @Test func helpScrollsToItsLastKeyAt80x24() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "30", "--seed", "4"])
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("клиентов: 30")
    try tmux.keys("?")
    let first = try tmux.waitFor("поиск по мере ввода")
    #expect(first.contains("поиск по мере ввода"))
    // The first page says where it is and how to scroll.
    #expect(first.contains("листать"))
    #expect(!first.contains("изменить отмеченных"))
    try tmux.keys("G")
    let last = try tmux.waitFor("изменить отмеченных")
    for words in [
      "передать клиента", "корзина / клиенты", "восстановить из корзины", "вероятные дубли",
      "отметить клиента", "отметить всех", "изменить отмеченных", "Space", "выход",
    ] {
      #expect(last.contains(words), "\(words)\n\(last)")
    }
    #expect(Self.widthOK(last))
    // Back up a page, then any other key closes the help without acting.
    try tmux.keys("PageUp")
    _ = try tmux.waitFor("листать")
    try tmux.keys("Escape")
    let closed = try tmux.waitFor("клиентов: 30")
    #expect(!closed.contains("листать"))
    #expect(try tmux.alive())
  }

  @Test func everyMainScreenWorksAt80x20() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "60", "--seed", "4"])
    let tmux = try TmuxSession(crmCommand(s.db), cols: 80, rows: 20)
    let clients = try tmux.waitFor("клиентов: 60")
    #expect(!clients.contains("маленькое"), "\(clients)")
    func check(_ screen: String, _ what: String) {
      let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(!screen.contains("маленькое"), "\(what)\n\(screen)")
      #expect(lines.count >= 20 && lines[19].contains("справка"), "\(what)\n\(screen)")
      #expect(Self.widthOK(screen), "\(what)")
    }
    check(clients, "clients")
    // The list fills the rows it has: 17 rows below the header, search and column titles.
    #expect(
      clients.split(separator: "\n").filter { $0.contains("«") || $0.contains("ИП ") }.count >= 14)
    try tmux.keys("Enter")
    check(try tmux.waitFor("Реквизиты"), "card")
    try tmux.keys("q")
    _ = try tmux.waitFor("клиентов: 60")
    for (key, marker) in [
      ("2", "запланировано"), ("3", "Напоминания ·"), ("4", "Продажи"), ("5", "Менеджер"),
      ("6", "Источники"),
    ] {
      try tmux.keys(key)
      let screen = try tmux.waitFor(marker)
      #expect(screen.contains(marker), "\(key)\n\(screen)")
      check(screen, "tab \(key)")
    }
    // The help scrolls at 80×20 too.
    try tmux.keys("1", "?", "G")
    let help = try tmux.waitFor("изменить отмеченных")
    #expect(help.contains("выход"), "\(help)")
    try tmux.keys("Escape")
    let closed = try tmux.waitFor("клиентов: 60")
    #expect(!closed.contains("листать"), "\(closed)")
    // Below 80×20 the notice says what is needed; back at 80×20 the list returns.
    try tmux.resize(cols: 80, rows: 19)
    let small = try tmux.waitFor("маленькое")
    #expect(small.contains("80×19") && small.contains("80×20"), "\(small)")
    try tmux.resize(cols: 80, rows: 20)
    let back = try tmux.waitFor("клиентов: 60")
    #expect(!back.contains("маленькое"))
  }
}
