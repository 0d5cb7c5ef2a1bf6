import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// What the fake opener was asked to open.
final class OpenedPaths: @unchecked Sendable {
  private let lock = NSLock()
  private var list: [String] = []
  func add(_ p: String) { lock.withLock { list.append(p) } }
  var paths: [String] { lock.withLock { list } }
}

/// The Files section of the client card and the deal card's files, at 80×24 and 80×20 with
/// Cyrillic names; `F` opens a private copy with the user's opener.
@MainActor
@Suite struct AttachmentsScreenTests {
  @MainActor struct Fixture {
    let app: App
    let term: MemoryTerminal
    let db: CRMDatabase
    let opened = OpenedPaths()
    let vector: Int64
    let romashka: Int64
    let deal: Int64
    let contract = Data("Договор поставки № 7\n".utf8) + Data(repeating: 0xD0, count: 12_300)

    init(rows: Int, opener: Bool = true) throws {
      db = try CRMDatabase(
        memory: SteppingClock(start: Date(timeIntervalSince1970: 1_795_000_000)))
      // Boris, a manager, works; Anna's client is hidden from him under «own» visibility.
      let boris = try #require(try db.user(login: "anna"))
      let anna = try #require(try db.user(login: "boris"))
      let asAnna = AppContext(db: db, user: anna, language: .ru, timeZone: utc)
      let asBoris = AppContext(db: db, user: boris, language: .ru, timeZone: utc)
      vector = try asAnna.clients.add(Client(name: "Вектор", legalForm: "ООО", ownerId: anna.id))
      romashka = try asBoris.clients.add(
        Client(name: "Ромашка", legalForm: "ООО", ownerId: boris.id))
      deal = try asAnna.deals.add(Deal(clientId: vector, title: "Поставка коробок"))
      let files = asAnna.core.attachments
      try files.add(
        clientId: vector,
        [AttachmentFile(name: "Реквизиты Вектора.txt", mime: "text/plain", data: Data("ИНН".utf8))])
      try files.add(
        dealId: deal,
        [AttachmentFile(name: "Договор поставки.pdf", mime: "application/pdf", data: contract)])
      try asBoris.core.attachments.add(
        clientId: romashka,
        [AttachmentFile(name: "Секрет Ромашки.pdf", mime: "application/pdf", data: Data("x".utf8))]
      )
      try db.setSetting("visibility", "own", language: .ru)
      var context = AppContext(
        db: db, user: try db.signIn(login: "boris").user, language: .ru, timeZone: utc)
      let opened = opened
      if opener { context.openFile = { path in opened.add(path) } }
      term = MemoryTerminal(rows: rows, cols: 80)
      app = App(term: term, context: context)
      app.render()
    }

    func press(_ keys: Key...) {
      for k in keys { app.handle(k) }
      app.render()
    }
    var text: String { term.text }
  }

  @Test(arguments: [24, 20])
  func theClientCardListsItsFilesNewestFirstAndFOpensTheSelected(rows: Int) throws {
    let f = try Fixture(rows: rows)
    f.app.push(ClientCardScreen(context: f.app.context, clientId: f.vector, list: nil))
    f.press(.char("F"))
    let card = try #require(f.app.current as? ClientCardScreen)
    #expect(card.section == .files)
    let t = f.text
    #expect(f.term.line(2).contains("Файлы (2)"), "\(f.term.line(2))")
    #expect(t.contains("Договор поставки.pdf"), "\(t)")
    #expect(t.contains("12 КБ"), "\(t)")
    #expect(t.contains("Реквизиты Вектора.txt"), "\(t)")
    #expect(t.contains("6 Б"), "\(t)")
    #expect(t.contains("12 КБ     18.11.2026 11:06 boris"), "\(t)")
    #expect(!t.contains("Ромашки"), "\(t)")
    // Newest first: the deal's contract was added last.
    let lines = (0..<rows).map(f.term.line)
    let contractRow = try #require(lines.firstIndex { $0.contains("Договор поставки.pdf") })
    let requisitesRow = try #require(lines.firstIndex { $0.contains("Реквизиты Вектора") })
    #expect(contractRow < requisitesRow)
    // F again opens the selected file: a 0600 copy with the same bytes under its own name.
    f.press(.char("F"))
    let path = try #require(f.opened.paths.last)
    defer {
      try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
    #expect((path as NSString).lastPathComponent == "Договор поставки.pdf")
    #expect(FileManager.default.contents(atPath: path) == f.contract)
    let attrs = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attrs[.posixPermissions] as? Int) == 0o600)
    let folder = try FileManager.default.attributesOfItem(
      atPath: (path as NSString).deletingLastPathComponent)
    #expect((folder[.posixPermissions] as? Int) == 0o700)
    #expect(f.text.contains("Открыт " + String(path.prefix(20))), "\(f.text)")
    // Enter on the next one opens it too.
    f.press(.down, .enter)
    let second = try #require(f.opened.paths.last)
    defer {
      try? FileManager.default.removeItem(atPath: (second as NSString).deletingLastPathComponent)
    }
    #expect(f.opened.paths.count == 2)
    #expect(FileManager.default.contents(atPath: second) == Data("ИНН".utf8))
  }

  @Test func withoutAnOpenerTheCardSaysHowToSetOne() throws {
    let f = try Fixture(rows: 20, opener: false)
    f.app.push(ClientCardScreen(context: f.app.context, clientId: f.vector, list: nil))
    f.press(.char("F"))
    f.press(.char("F"))
    let message = f.app.message?.text ?? ""
    #expect(message.contains(" — нечем открыть: задайте opener в ~/.config/termcrm/config.toml"))
    #expect(f.app.message?.error == true)
    // The message grows over the screen rather than being cut.
    #expect(f.text.contains("config.toml"), "\(f.text)")
    // The copy is written anyway (its path is shown); remove its folder.
    let path = String(message.prefix { $0 != " " })
    #expect(path.hasSuffix("/Договор"), "\(message)")
    try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
  }

  @Test func anotherManagersClientsFilesAreNotShown() throws {
    let f = try Fixture(rows: 24)
    f.app.push(
      ClientCardScreen(context: f.app.context, clientId: f.romashka, list: nil, section: .files))
    f.app.render()
    #expect(!f.text.contains("Секрет Ромашки"), "\(f.text)")
    // Nor through the service the card reads.
    #expect(try f.app.context.core.attachments.list(clientId: f.romashka).isEmpty)
  }

  @Test func aClientWithoutFilesSaysHowToAddOne() throws {
    let f = try Fixture(rows: 20)
    let empty = try f.app.context.clients.add(Client(name: "Пустая", legalForm: "ИП"))
    f.app.push(ClientCardScreen(context: f.app.context, clientId: empty, list: nil))
    f.press(.char("F"))
    #expect(
      f.text.contains("Файлов нет. Добавить: crm attach add --client \(empty) ФАЙЛ"), "\(f.text)")
  }

  @Test(arguments: [24, 20])
  func theDealCardListsItsFilesAndFPicksOneToOpen(rows: Int) throws {
    let f = try Fixture(rows: rows)
    f.app.push(DealCardScreen(context: f.app.context, dealId: f.deal, tab: 1))
    f.app.render()
    // The files section is below the page's fold at 80×20: scroll to the end.
    f.press(.char("G"))
    let t = f.text
    #expect(t.contains("Файлы (F) (1)"), "\(t)")
    #expect(t.contains("Договор поставки.pdf"), "\(t)")
    #expect(t.contains("12 КБ"), "\(t)")
    #expect(!t.contains("Реквизиты Вектора"), "the client's own file is not the deal's: \(t)")
    f.press(.char("F"))
    #expect(f.text.contains("Файлы сделки"), "\(f.text)")
    f.press(.enter)
    let path = try #require(f.opened.paths.last)
    defer {
      try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
    #expect(FileManager.default.contents(atPath: path) == f.contract)
  }

  @Test func aLongListIsReadOnePageAtATimeAsTheSelectionMovesDown() throws {
    let f = try Fixture(rows: 20)
    let many = (1...60).map { i in
      AttachmentFile(name: "Скан \(i).png", mime: "image/png", data: Data("скан \(i)".utf8))
    }
    try f.app.context.core.attachments.add(clientId: f.vector, many)
    f.app.push(ClientCardScreen(context: f.app.context, clientId: f.vector, list: nil))
    f.press(.char("F"))
    let card = try #require(f.app.current as? ClientCardScreen)
    // One page of 50 is read: the tab says more follow.
    #expect(card.files.items.count == AttachmentsPanel.page)
    #expect(f.term.line(2).contains("Файлы (50+)"), "\(f.term.line(2))")
    #expect(f.text.contains("Скан 60.png"))
    f.press(.char("G"))
    #expect(card.files.items.count == 62)
    #expect(f.term.line(2).contains("Файлы (62)"), "\(f.term.line(2))")
    f.press(.char("G"))
    #expect(f.text.contains("Реквизиты Вектора.txt"), "\(f.text)")
  }

  @Test func namesAreMadeSafeForTheFileSystem() {
    let odd = AttachmentOpen.safeName("../..//etc/passwd")
    #expect(!odd.contains("/") && !odd.hasPrefix("."), "\(odd)")
    #expect(AttachmentOpen.safeName(".bashrc") == "bashrc")
    #expect(AttachmentOpen.safeName("Счёт\u{1B}[31m.pdf").contains("\u{1B}") == false)
    #expect(AttachmentOpen.safeName("...") == "file")
  }
}
