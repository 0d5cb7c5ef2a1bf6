import CRMCore
import Foundation
import TerminalUI

/// A bank statement as the reconciliation reads it: the incoming documents, the period it
/// covers (`YYYY-MM-DD`) and our accounts in it.
public struct LoadedStatement: Sendable, Equatable {
  public var payments: [AccountingPayment]
  public var from: String
  public var to: String
  public var accounts: Set<String>

  public init(payments: [AccountingPayment], from: String, to: String, accounts: Set<String>) {
    self.payments = payments
    self.from = from
    self.to = to
    self.accounts = accounts
  }
}

/// Reads a bank statement file (1CClientBankExchange) for the reconciliation. CRMApp does not
/// know the file formats (CRMExchange does): the `crm` executable passes the reader in.
public typealias StatementLoader = @Sendable (String) throws -> LoadedStatement
/// Reads the acts of an accounting export (EnterpriseData) for the reconciliation.
public typealias ActsLoader = @Sendable (String) throws -> [AccountingAct]

/// Sends a document by e-mail to an address and returns what to tell the user; throws the mail
/// command's failure. The `crm` executable passes it in (the message and the user's mail
/// command live in CRMExchange and the config file).
public typealias DocumentSender = @Sendable (SentDocumentKind, Int64, String) throws -> String
/// Writes the PDF of an invoice, offer or act (by id) as the context's user and returns the
/// file's path; CRMApp does not render PDF (CRMExchange does): the `crm` executable passes it in.
public typealias DocumentPDFWriter =
  @Sendable (ServiceContext, CompanyService.Document, Int64) throws -> String
/// Opens a file with the user's own opener (their config file's `opener`, else `xdg-open`).
public typealias FileOpener = @Sendable (String) throws -> Void

/// Everything a screen needs to reach the core.
public struct AppContext: Sendable {
  /// The core's context: database, signed-in user, language, zone, clock. Every service the
  /// screens call is made from it.
  public let core: ServiceContext
  public let formats: Formats
  /// The bank statement reader of the reconciliation (Reports, `s`); nil: not available.
  public var loadStatement: StatementLoader?
  /// The reader of acts exported from accounting; nil: acts are compared with the CRM's exports.
  public var loadActs: ActsLoader?
  /// Sends a document by e-mail (`m` on an offer or invoice); nil: not available.
  public var sendDocument: DocumentSender?
  /// Writes a document's PDF (`P` on invoices, offers and the client's money); nil: no PDF.
  public var writePDF: DocumentPDFWriter?
  /// Opens a written PDF (`O`); nil: the user has no opener.
  public var openFile: FileOpener?

  public init(_ core: ServiceContext) {
    self.core = core
    self.formats = Formats(language: core.language, timeZone: core.timeZone)
  }

  /// The context of a database already signed in (`CRMDatabase.signIn`): the screens act as its
  /// user.
  public init(db: CRMDatabase, language: Language, timeZone: TimeZone = .current) {
    self.init(ServiceContext(db: db, language: language, timeZone: timeZone))
  }

  public var db: CRMDatabase { core.db }
  /// The signed-in user.
  public var user: User? { core.user }
  public var language: Language { core.language }
  public var timeZone: TimeZone { core.timeZone }
  public var clients: ClientService { core.clients }
  public var contacts: ContactService { core.contacts }
  public var deals: DealService { core.deals }
  public var pipelines: PipelineService { core.pipelines }
  public var money: MoneyService { core.money }

  /// Whose contacts "mine" means: the acting user's, or everyone's when there is none.
  public var myScope: ContactScope { user.map { .user($0.id) } ?? .everyone }

  /// "Now" and the user's zone, for reading times typed in forms.
  public var timeContext: TimeContext { core.time }

  func t(_ en: String, _ ru: String) -> String { language.pick(en, ru) }
}

/// A screen of the app: draws into its part of the canvas and handles keys.
@MainActor
public protocol Screen: AnyObject {
  /// Which top-level tab (1–6) this screen belongs to.
  var tab: Int { get }
  var context: AppContext { get }
  /// The title of the screen's key table (`?` help, docs/keys.md), in English and Russian.
  nonisolated static var keyTitle: (en: String, ru: String) { get }
  /// The shared groups the key table starts with: `[.common, .movement]` unless the screen
  /// says else.
  nonisolated static var keyGroups: [KeyGroup] { get }
  /// The screen's own bindings, after its groups, declared beside it (`<Screen>+Keys.swift`).
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>]
  /// The screen's key table: the title, the groups and the own bindings.
  nonisolated static func keyTable(_ l: Language) -> KeyTable<Action>
  /// The table in force now: `keyTable` in the context's language unless the screen says else.
  var keys: KeyTable<Action> { get }
  /// True while a text field has the focus: then digits, `q` and `?` are typed, not commands.
  var capturesText: Bool { get }
  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int)
  func handle(_ key: Key, app: App)
  /// Another process (or this one) changed the database, or the minute turned: forget caches.
  func dataChanged()
  /// What would be lost if the screen closed now (text typed in a form, clients marked), said
  /// in a few words; nil when nothing. Quitting asks first when a screen has some.
  var unsavedWork: String? { get }
}

extension Screen {
  public nonisolated static var keyGroups: [KeyGroup] { [.common, .movement] }
  public nonisolated static func keyTable(_ l: Language) -> KeyTable<Action> {
    KeyTable(
      title: l.pick(keyTitle.en, keyTitle.ru),
      keyGroups.flatMap { $0.bindings(l) } + ownKeys(l))
  }
  public func dataChanged() {}
  public var unsavedWork: String? { nil }
  public var keys: KeyTable<Action> { Self.keyTable(context.language) }
  public var capturesText: Bool { false }
  /// The context's language, which most screens read often.
  var l: Language { context.language }
}

/// The full-screen program: a stack of screens, a header with the six tabs, a message line and
/// the key-hint bar. Runs until `q` on the first screen or the end of input.
@MainActor
public final class App {
  public let term: any Terminal
  public let context: AppContext
  public private(set) var stack: [any Screen] = []
  var roots: [Int: any Screen] = [:]
  var message: (text: String, error: Bool)?
  var showHelp = false
  /// The first line of the `?` help shown (it scrolls when taller than the window).
  var helpOffset = 0
  var confirm: (title: String, text: String, onYes: () -> Void, no: String?)?
  public private(set) var running = true
  public static let minSize = Size(rows: 20, cols: 80)

  public init(term: any Terminal, context: AppContext) {
    self.term = term
    self.context = context
    let clients = ClientsScreen(context: context)
    roots[1] = clients
    stack = [clients]
  }

  var t: AppContext { context }
  public var current: any Screen { stack[stack.count - 1] }

  /// Reads keys and repaints until the user quits or input ends. Between keys it wakes every
  /// second and repaints only when the database changed (any process) or the minute turned, so
  /// reminders and the overdue count stay live at near-zero idle cost.
  public func run() {
    render()
    while running {
      switch term.readKey(milliseconds: 1000) {
      case .key(let key):
        handle(key)
        if running { render() }
      case .timeout:
        if idle() { render() }
      case .end:
        running = false
      }
    }
  }

  /// What the status reflects: the database's change counters and the current minute.
  struct Freshness: Equatable {
    var dataVersion: Int
    var ownChanges: Int
    var minute: Int
  }
  var freshness: Freshness?
  /// Planned contacts of the acting user that are past due, shown in the header.
  public private(set) var overdue = 0

  func currentFreshness() -> Freshness? {
    let minute = Int(context.db.clock.now().timeIntervalSince1970 / 60)
    return try? context.db.queue.inDatabase { db in
      Freshness(
        dataVersion: try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0,
        ownChanges: db.totalChangesCount, minute: minute)
    }
  }

  /// Checks whether anything changed since the last look; if so refreshes the overdue count and
  /// tells every screen. Returns true when a repaint is due.
  @discardableResult
  public func idle() -> Bool {
    let now = currentFreshness()
    if now != nil && now == freshness { return false }
    freshness = now
    overdue = (try? context.contacts.overdueCount(scope: context.myScope)) ?? 0
    for screen in stack { screen.dataChanged() }
    for (_, screen) in roots where !stack.contains(where: { $0 === screen }) {
      screen.dataChanged()
    }
    return true
  }

  /// Shows a line under the content until the next key.
  public func flash(_ text: String, error: Bool = false) {
    message = (text, error)
  }

  /// Reports a core error in the message line.
  public func report(_ error: any Error) {
    let e = CRMDatabase.map(error, path: context.db.path)
    // The TUI has one database: its file's name is enough, the full path only pushes the
    // advice at the end of the message out of the window.
    let path = context.db.path
    let name = (path as NSString).lastPathComponent
    flash(e.message(context.language).replacingOccurrences(of: path, with: name), error: true)
  }

  public func push(_ screen: any Screen) { stack.append(screen) }

  public func pop() {
    if stack.count > 1 { stack.removeLast() } else { running = false }
  }

  /// Asks a yes/no question; `onYes` runs on `y` (or `н`/`Enter`-less keys are refused). `no`
  /// is the line shown on `n` (else «Отменено.»).
  public func ask(
    _ title: String, _ text: String, no: String? = nil, onYes: @escaping () -> Void
  ) {
    confirm = (title, text, onYes, no)
  }

  /// What the open screens would lose, top first.
  var unsavedWork: [String] { stack.reversed().compactMap(\.unsavedWork) }

  /// Quits; when a screen holds unsaved work (a form with typed text, marked clients), asks
  /// first, naming it.
  public func quit() {
    let unsaved = unsavedWork
    guard !unsaved.isEmpty else {
      running = false
      return
    }
    ask(
      t.t("Quit", "Выход"),
      t.t(
        "Not saved: \(unsaved.joined(separator: "; ")). Quit anyway?",
        "Не сохранено: \(unsaved.joined(separator: "; ")). Всё равно выйти?"),
      no: t.t("Not quitting: carry on.", "Выход отменён: продолжайте.")
    ) { [weak self] in self?.running = false }
  }

  /// The warning shown at start when the locale is not UTF-8 (the program stays usable).
  public func warnLocaleNotUTF8() {
    flash(
      t.t(
        "locale is not UTF-8: Cyrillic may not display; set LANG=ru_RU.UTF-8",
        "локаль не UTF-8: кириллица может не отображаться; задайте LANG=ru_RU.UTF-8"),
      error: true)
  }

  func switchTab(_ n: Int) {
    if roots[n] == nil {
      switch n {
      case 2: roots[n] = CalendarScreen(context: context)
      case 3: roots[n] = RemindersScreen(context: context)
      case 4: roots[n] = FunnelScreen(context: context)
      case 5: roots[n] = ActivityScreen(context: context)
      case 6: roots[n] = ReportsScreen(context: context)
      default: roots[n] = PlaceholderScreen(tab: n, context: context)
      }
    }
    stack = [roots[n]!]
  }

  public func handle(_ key: Key) {
    if key == .resize { return }
    // Pasted text is only ever text: outside a text field it is dropped, never run as keys.
    if case .paste = key, confirm != nil || showHelp || !current.capturesText { return }
    let size = term.size
    if size.rows < Self.minSize.rows || size.cols < Self.minSize.cols {
      // No room for a question: with unsaved work q and ^C wait for a larger window.
      if (key == .char("q") || key == .ctrl("c")) && unsavedWork.isEmpty { running = false }
      return
    }
    if let c = confirm {
      let k = KeyboardLayout.latin(key)
      if k == .char("y") || k == .char("Y") {
        confirm = nil
        c.onYes()
      } else if k == .char("n") || k == .char("N") || k == .escape || k == .char("q") {
        confirm = nil
        flash(c.no ?? t.t("Cancelled.", "Отменено."))
      }
      return
    }
    if showHelp {
      let layout = HelpLayout(table: current.keys, size: size)
      if let offset = layout.scrolled(helpOffset, by: key) {
        helpOffset = offset
      } else {
        showHelp = false
      }
      return
    }
    message = nil
    if key == .ctrl("c") {
      quit()
      return
    }
    let screen = current
    if !screen.capturesText {
      if case .char(let c) = key, let n = c.wholeNumberValue, (1...6).contains(n) {
        switchTab(n)
        return
      }
      if KeyboardLayout.latin(key) == .char("?") {
        showHelp = true
        helpOffset = 0
        return
      }
    }
    screen.handle(key, app: self)
  }

  /// Draws the whole frame and presents it.
  public func render() {
    idle()
    let size = term.size
    var canvas = Canvas(size: size)
    if size.rows < Self.minSize.rows || size.cols < Self.minSize.cols {
      drawTooSmall(
        &canvas,
        lines: [
          t.t("Terminal too small", "Окно терминала слишком маленькое"),
          t.t(
            "\(size.cols)×\(size.rows) now, at least \(Self.minSize.cols)×\(Self.minSize.rows) needed",
            "сейчас \(size.cols)×\(size.rows), нужно не меньше \(Self.minSize.cols)×\(Self.minSize.rows)"
          ),
          unsavedWork.isEmpty
            ? t.t(
              "Enlarge the window, or press q to quit", "Увеличьте окно или нажмите q для выхода")
            : t.t(
              "Not saved: \(unsavedWork.joined(separator: "; ")). Enlarge the window to carry on",
              "Не сохранено: \(unsavedWork.joined(separator: "; ")). Увеличьте окно, чтобы продолжить"
            ),
        ])
      term.present(canvas)
      return
    }
    drawHeader(&canvas, width: size.cols)
    var top = 1
    if context.db.isReadOnly {
      canvas.fill(1, 0, width: size.cols, Style(bold: true, reverse: true, color: .red))
      canvas.put(
        1, 1,
        t.t(
          "READ-ONLY: the database file is not writable; changes are disabled",
          "ТОЛЬКО ЧТЕНИЕ: файл базы защищён от записи, изменения недоступны"),
        Style(bold: true, reverse: true, color: .red), maxWidth: size.cols - 2)
      top = 2
    }
    let screen = current
    screen.draw(&canvas, top: top, rows: size.rows - 2 - top, width: size.cols)
    // The status line: the last message on the left, "N overdue" on the right on every screen.
    var badgeCol = size.cols
    if overdue > 0 {
      let badge =
        " "
        + context.language.pick(
          "\(context.formats.integer(overdue)) overdue [3]",
          "просрочено: \(context.formats.integer(overdue)) [3]")
        + " "
      badgeCol = size.cols - TextWidth.of(badge)
      canvas.put(size.rows - 2, badgeCol, badge, Style(bold: true, reverse: true, color: .red))
    }
    if let m = message {
      // A message longer than the status line grows upwards over the screen (up to six
      // lines, until the next key): an error's advice is at its end and must not be cut.
      let width = max(1, badgeCol - 2)
      var lines = wrap(m.text, width: width)
      let room = max(1, min(6, size.rows - 2 - top))
      if lines.count > room {
        lines = Array(lines.prefix(room))
        lines[room - 1] = String(lines[room - 1].dropLast()) + "…"
      }
      let first = size.rows - 1 - lines.count
      for (i, line) in lines.enumerated() {
        let row = first + i
        if row < size.rows - 2 { canvas.fill(row, 0, width: size.cols, .plain) }
        canvas.put(row, 1, line, m.error ? .error : .bold, maxWidth: width)
      }
    }
    drawHints(&canvas, row: size.rows - 1, hints: screen.keys.hints, width: size.cols)
    if showHelp {
      canvas.cursor = nil
      drawHelp(&canvas, table: screen.keys, offset: helpOffset) { first, last, total in
        guard first > 1 || last < total else {
          return self.t.t("Any key closes", "Любая клавиша закрывает")
        }
        return self.t.t(
          "\(first)–\(last) of \(total)  j/k ↓↑ PgDn PgUp g G scroll, other keys close",
          "\(first)–\(last) из \(total)  j/k ↓↑ PgDn PgUp g G — листать, другие — закрыть")
      }
    }
    if let c = confirm {
      canvas.cursor = nil
      drawConfirm(
        &canvas, title: c.title, message: c.text, keys: t.t("y — yes   n — no", "y — да   n — нет"))
    }
    term.present(canvas)
  }

  static func tabTitles(_ lang: Language) -> [String] {
    [
      lang.pick("Clients", "Клиенты"), lang.pick("Calendar", "Календарь"),
      lang.pick("Reminders", "Напоминания"), lang.pick("Funnel", "Воронка"),
      lang.pick("Activity", "Активность"), lang.pick("Reports", "Отчёты"),
    ]
  }

  func drawHeader(_ canvas: inout Canvas, width: Int) {
    canvas.fill(0, 0, width: width, .reverse)
    let titles = Self.tabTitles(context.language)
    let who = context.user?.login ?? ""
    // Who is signed in matters once a team shares the base: when the full titles leave no room
    // for the login, the inactive tabs are shortened (the active one keeps its whole title).
    func label(_ i: Int, short: Bool) -> String {
      let title = titles[i]
      let active = current.tab == i + 1
      if short && !active && title.count > 4 { return " \(i + 1) \(title.prefix(3)). " }
      return " \(i + 1) \(title) "
    }
    let full = titles.indices.reduce(0) { $0 + TextWidth.of(label($1, short: false)) }
    let short = !who.isEmpty && full + TextWidth.of(who) + 2 > width
    var col = 0
    for i in titles.indices {
      let style = current.tab == i + 1 ? Style(bold: true) : Style(reverse: true)
      col = canvas.put(0, col, label(i, short: short), style)
    }
    if col + TextWidth.of(who) + 2 <= width {
      canvas.put(0, width - TextWidth.of(who) - 1, who, Style(reverse: true))
    }
  }
}
