import ArgumentParser
import CRMApp
import CRMBench
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

/// Options every subcommand takes.
struct Global: ParsableArguments {
  @Option(name: .long, help: "Database file (default: $XDG_DATA_HOME/termcrm/crm.sqlite).")
  var db: String?

  @Option(name: .long, help: "Act as this user (default: $USER; created on first use).")
  var user: String?

  @Option(name: .long, help: "Language of messages: ru or en (default: from LANG).")
  var lang: String?

  var env: [String: String] { ProcessInfo.processInfo.environment }

  var language: Language {
    lang.flatMap(Language.init(argument:)) ?? Language.fromEnvironment(env)
  }

  func validate() throws {
    if let lang, Language(argument: lang) == nil {
      throw ValidationError("--lang must be ru or en, not \(lang)")
    }
  }

  var path: String { db ?? CRMDatabase.defaultPath(env) }

  /// Opens the database and signs in as `--user` (or `$USER`): every query after this shows
  /// only what that user may see. There is no other way for a command to open the database.
  func open(readOnly: Bool = false) throws -> CRMDatabase {
    let database = try CRMDatabase(path: path, readOnly: readOnly)
    try database.signIn(login: login, language: language)
    return database
  }

  /// The screens' context for a database `open()` signed in: its user is the signed-in one.
  func context(_ database: CRMDatabase) throws -> AppContext {
    if !database.isSignedIn { try database.signIn(login: login, language: language) }
    return AppContext(db: database, user: database.viewer.user, language: language)
  }
}

/// An error already phrased for the user, with its exit code.
struct Failure: Error {
  let message: String
  let code: Int32
}

func fail(_ e: CRMError, _ g: Global) -> Failure {
  Failure(message: e.message(g.language), code: e.exitCode)
}

/// Runs a core call, turning its error into a user-facing failure.
func core<T>(_ g: Global, _ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as CRMError { throw fail(e, g) }
}

struct CRM: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "crm",
    abstract: "TermCRM: a customer-relationship manager for the terminal.",
    version: "0.1.0",
    subcommands: [
      Open.self, Demo.self, ClientCommand.self, ContactCommand.self, Agenda.self, Remind.self,
      Handover.self, UserCommand.self, BulkCommand.self, DealCommand.self, OfferCommand.self,
      PipelineCommand.self,
      ContractCommand.self, InvoiceCommand.self, ActCommand.self, PaymentCommand.self,
      MoneyCommand.self, DedupeCommand.self, MergeCommand.self,
      ReportCommand.self, TargetCommand.self, Classify.self, SegmentCommand.self,
      SettingsCommand.self, Import.self,
      Export.self, PaneCommand.self,
      Search.self,
      BackupCommand.self, RestoreCommand.self,
      AuditCommand.self, InitCommand.self,
      // Team work (TeamWorkCommands.swift).
      AssignLeads.self, TaskCommand.self, FilterCommand.self, CampaignCommand.self,
      Check.self, Keys.self, Bench.self, Stress.self,
    ],
    defaultSubcommand: Open.self)
}

struct Open: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "open", abstract: "Open the full-screen interface (the default).")
  @OptionGroup var global: Global

  func run() throws {
    // Before the database is opened or created and before ncurses touches the terminal.
    if let reason = NCursesTerminal.unsupportedReason(
      environment: global.env, stdinIsTTY: isatty(0) != 0, stdoutIsTTY: isatty(1) != 0)
    {
      throw Failure(message: reason.message(russian: global.language == .ru), code: 2)
    }
    let database = try core(global) { try global.open() }
    var context = try core(global) { try global.context(database) }
    // The reconciliation (Reports, s) reads files through these; CRMApp knows no file formats.
    context.loadStatement = Self.readStatement(language: global.language)
    context.loadActs = Self.readActs(language: global.language)
    try MainActor.assumeIsolated {
      let term: NCursesTerminal
      do {
        term = try NCursesTerminal(noColor: global.env["NO_COLOR"].map { !$0.isEmpty } ?? false)
      } catch {
        let reason = error as? TerminalError ?? .cannotStart
        throw Failure(message: reason.message(russian: global.language == .ru), code: 2)
      }
      let app = App(term: term, context: context)
      if term.localeNotUTF8 { app.warnLocaleNotUTF8() }
      app.run()
      term.end()
      // SIGINT, SIGTERM or SIGHUP ended the loop between keys (a write in progress finished):
      // the terminal is restored; exit as the shell expects, 128 + the signal.
      if let signal = term.caughtSignal { Glibc.exit(128 + signal) }
    }
  }
}

extension Open {
  /// Acts read back from an EnterpriseData message exported from 1C.
  /// A bank statement as the reconciliation view wants it: incoming documents, period, accounts.
  static func readStatement(language l: Language) -> StatementLoader {
    { path in
      let s: BankStatement
      do {
        s = try BankStatementReader.read(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw CRMError.invalid(
          field: path, problem: (error as? BankStatementError)?.message(l) ?? "\(error)")
      }
      let period = BankImport.period(s)
      return LoadedStatement(
        payments: BankImport.accountingPayments(s), from: period?.from ?? "",
        to: period?.to ?? "", accounts: s.ourAccounts)
    }
  }

  static func readActs(language l: Language) -> ActsLoader {
    { path in
      let data: Data
      do {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
      } catch {
        throw CRMError.unreadable(path: path, reason: error.localizedDescription)
      }
      do {
        return try EnterpriseDataReader.read(data).map {
          AccountingAct(
            number: $0.number, date: $0.date, inn: $0.counterpartyINN, name: $0.counterpartyName,
            total: $0.total)
        }
      } catch {
        let problem = (error as? EnterpriseDataError)?.message(l) ?? "\(error)"
        throw CRMError.invalid(field: path, problem: problem)
      }
    }
  }
}

struct Demo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Fill a database with realistic demo clients, contacts, deals and money.")
  @OptionGroup var global: Global
  @Option(help: "How many clients.") var clients = 1000
  @Option(help: "How many deals (default: a quarter of the clients).") var deals: Int?
  @Option(help: "Random seed: the same seed gives the same data.") var seed: UInt64 = 1
  @Flag(help: "Add to a database that already has clients.") var append = false

  func run() throws {
    guard clients >= 0 && clients <= 10_000_000 else {
      throw ValidationError("--clients must be between 0 and 10000000")
    }
    let database = try core(global) { try global.open() }
    let existing = try core(global) { try database.count(ClientListQuery()) }
    if existing > 0 && !append {
      throw Failure(
        message: global.language.pick(
          "\(global.path) already has \(existing) clients; pass --append to add more.",
          "В \(global.path) уже есть клиенты (\(existing)); добавьте --append, чтобы добавить ещё."),
        code: 1)
    }
    let start = Date()
    var demo = DemoData(seed: seed, now: Date())
    let n = try core(global) { try demo.populate(database, count: clients) }
    let dealCount = min(deals ?? clients / 4, 10_000_000)
    let d = try core(global) { try demo.populateDeals(database, count: dealCount, seed: seed) }
    let m = try core(global) {
      try demo.populateMoney(database, payments: dealCount / 3, seed: seed)
    }
    let seconds = Date().timeIntervalSince(start)
    print(
      global.language.pick(
        "Added \(n) demo clients, \(d) deals, \(m.invoices) invoices and \(m.payments) payments to \(global.path) in \(String(format: "%.1f", seconds)) s.",
        "Добавлено демо-клиентов: \(n), сделок: \(d), счетов: \(m.invoices), оплат: \(m.payments) в \(global.path) за \(String(format: "%.1f", seconds)) с."
      ))
  }
}

/// Options that set client fields; shared by `client add` and `client edit`.
struct ClientFields: ParsableArguments {
  @Option(help: "Name (without the legal form).") var name: String?
  @Option(help: "company or person.") var kind: ClientKind?
  @Option(help: "Legal form: ООО, АО, ИП…") var legalForm: String?
  @Option(help: "ИНН (10 digits for a company, 12 for a person).") var inn: String?
  @Option(help: "КПП.") var kpp: String?
  @Option(help: "ОГРН or ОГРНИП.") var ogrn: String?
  @Option(help: "Phone; repeat for several (replaces the list).") var phone: [String] = []
  @Option(help: "E-mail; repeat for several (replaces the list).") var email: [String] = []
  @Option var website: String?
  @Option var city: String?
  @Option var legalAddress: String?
  @Option var actualAddress: String?
  @Option var postalAddress: String?
  @Option(help: "БИК of the main bank account.") var bik: String?
  @Option(help: "Settlement account (р/с).") var account: String?
  @Option(help: "Correspondent account (к/с).") var corrAccount: String?
  @Option var bankName: String?
  @Option var segment: String?
  @Option var leadSource: String?
  @Option(help: "Owner's login.") var owner: String?
  @Option(help: "Tag; repeat for several (replaces the list).") var tag: [String] = []
  @Option var notes: String?

  func apply(to client: inout Client, db: CRMDatabase, g: Global) throws {
    if let name { client.name = name }
    if let kind { client.kind = kind }
    if let legalForm { client.legalForm = legalForm }
    if let inn { client.inn = inn }
    if let kpp { client.kpp = kpp }
    if let ogrn { client.ogrn = ogrn }
    if !phone.isEmpty { client.phones = phone.map(Phone.init) }
    if !email.isEmpty { client.emails = email }
    if let website { client.website = website }
    if let city { client.city = city }
    if let legalAddress { client.legalAddress = legalAddress }
    if let actualAddress { client.actualAddress = actualAddress }
    if let postalAddress { client.postalAddress = postalAddress }
    if bik != nil || account != nil || corrAccount != nil || bankName != nil {
      var a = client.bankAccounts.first ?? BankAccount()
      if let bik { a.bik = bik }
      if let account { a.account = account }
      if let corrAccount { a.corrAccount = corrAccount }
      if let bankName { a.bankName = bankName }
      if client.bankAccounts.isEmpty {
        client.bankAccounts = [a]
      } else {
        client.bankAccounts[0] = a
      }
    }
    if let segment { client.segment = segment }
    if let leadSource { client.leadSource = leadSource }
    if let owner {
      guard let u = try core(g, { try db.users() }).first(where: { $0.login == owner }) else {
        throw Failure(
          message: g.language.pick("no user «\(owner)»", "нет пользователя «\(owner)»"), code: 1)
      }
      client.ownerId = u.id
    }
    if !tag.isEmpty { client.tags = tag }
    if let notes { client.notes = notes }
  }
}

extension ClientKind: ExpressibleByArgument {}

struct ClientCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "client", abstract: "Add, show, list, edit, delete and restore clients.",
    subcommands: [Add.self, Show.self, List.self, Edit.self, Delete.self, Restore.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a client; prints its id.")
    @OptionGroup var global: Global
    @OptionGroup var fields: ClientFields
    // Team work: a lead for the lead rule (docs/teamwork.md).
    @Flag(help: "No owner: the lead rule (when on) gives it to a manager.") var noOwner = false

    func run() throws {
      if noOwner && fields.owner != nil {
        throw Failure(
          message: global.language.pick(
            "--no-owner and --owner cannot be combined", "--no-owner и --owner нельзя сочетать"),
          code: 1)
      }
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      var c = Client(name: "")
      try fields.apply(to: &c, db: database, g: global)
      let id = try core(global) { try ctx.clients.add(c, unowned: noOwner) }
      print(id)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one client.")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @Flag var json = false

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = AppContext(db: database, user: nil, language: global.language)
      guard let c = try core(global, { try ctx.clients.client(id) }) else {
        throw fail(.notFound(what: global.language.pick("client", "клиент"), id: id), global)
      }
      let persons = try core(global) { try ctx.clients.persons(of: id) }
      let owner = try core(global) { try database.users() }.first { $0.id == c.ownerId }?.login
      if json {
        print(ClientJSON.text(ClientJSON.object(c, persons: persons, owner: owner)))
        return
      }
      let v = ctx.clients.validator
      var lines = ["\(c.displayName)  (№\(id))"]
      if c.deletedAt != nil { lines.append(global.language.pick("[in the trash]", "[в корзине]")) }
      let pairs: [(String, String)] = [
        ("inn", c.inn), ("kpp", c.kpp), ("ogrn", c.ogrn),
        ("phones", c.phones.map(\.raw).joined(separator: ", ")),
        ("emails", c.emails.joined(separator: ", ")), ("website", c.website), ("city", c.city),
        ("legal_address", c.legalAddress), ("actual_address", c.actualAddress),
        ("postal_address", c.postalAddress), ("segment", c.segment),
        ("lead_source", c.leadSource), ("owner", owner ?? ""),
        ("tags", c.tags.joined(separator: ", ")), ("notes", c.notes),
      ]
      for (k, value) in pairs where !value.isEmpty { lines.append("\(v.fieldName(k)): \(value)") }
      if let cls = try core(
        global,
        {
          try ClassificationService(db: database, userId: nil, language: global.language).latest(
            clientId: id)
        })
      {
        lines.append(
          "ABC/XYZ: \(cls.abc.isEmpty ? "—" : cls.abc) / \(className(cls.xyz, global.language)) (\(cls.at))"
        )
      }
      for a in c.bankAccounts {
        lines.append(
          "\(v.fieldName("bank_name")): \(a.bankName); \(v.fieldName("bik")) \(a.bik); \(v.fieldName("account")) \(a.account); \(v.fieldName("corr_account")) \(a.corrAccount)"
        )
      }
      for p in persons {
        lines.append(
          "  • \(p.name)\(p.position.isEmpty ? "" : ", \(p.position)") \(p.phones.map(\.raw).joined(separator: ", ")) \(p.emails.joined(separator: ", "))"
        )
      }
      print(lines.joined(separator: "\n"))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List clients.")
    @OptionGroup var global: Global
    @Flag var json = false
    @Option var limit = 50
    @Option var offset = 0
    @Option(help: "name, city, phone, segment, owner or lastContact.") var sort: String = "name"
    @Flag var desc = false
    @Option var segment: String?
    @Option(help: "Owner's login.") var owner: String?
    @Option var tag: String?
    @Flag(help: "List the trash instead.") var trash = false

    func run() throws {
      guard let s = ClientListQuery.Sort(rawValue: sort) else {
        throw ValidationError(
          "--sort must be one of \(ClientListQuery.Sort.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      guard limit >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
      let database = try core(global) { try global.open() }
      var ownerId: Int64?
      if let owner {
        ownerId = try core(global) { try database.users() }.first { $0.login == owner }?.id ?? -1
      }
      let q = ClientListQuery(
        sort: s, descending: desc, segment: segment, ownerId: ownerId, tag: tag, trash: trash)
      let rows = try core(global) { try database.page(q, offset: offset, limit: limit) }
      printRows(rows, json: json, language: global.language)
    }
  }

  struct Edit: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "edit", abstract: "Change fields of a client.",
      discussion: "A change someone saved meanwhile to other fields is kept; to the same fields "
        + "it is a conflict: exit 1, nothing saved. --expect-version N refuses the edit unless "
        + "the client is still at version N (crm client show --json prints it).")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @OptionGroup var fields: ClientFields
    @Option(help: "Save only if the client is still at this version (else exit 1).")
    var expectVersion: Int64?
    @Flag(help: "Print the saved client's id and version as JSON.") var json = false

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      guard let base = try core(global, { try ctx.clients.client(id) }) else {
        throw fail(.notFound(what: global.language.pick("client", "клиент"), id: id), global)
      }
      var c = base
      if let expectVersion { c.version = expectVersion }
      try fields.apply(to: &c, db: database, g: global)
      // With --expect-version there is no base to merge with: any change meanwhile refuses.
      try core(global) { try ctx.clients.update(c, base: expectVersion == nil ? base : nil) }
      if json {
        let saved = try core(global) { try ctx.clients.client(id) }
        printJSON(["id": id, "version": saved?.version ?? 0])
      }
    }
  }

  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Move a client to the trash.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      try core(global) { try ctx.clients.delete(id) }
    }
  }

  struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "restore", abstract: "Bring a client back from the trash.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      try core(global) { try ctx.clients.restore(id) }
    }
  }
}

func printRows(_ rows: [ClientRow], json: Bool, language: Language) {
  if json {
    print(ClientJSON.text(rows.map(ClientJSON.object)))
    return
  }
  let f = Formats(language: language)
  for r in rows {
    let cols = [
      String(r.id), TextWidth.fit(r.name, to: 40), TextWidth.fit(r.city, to: 16),
      TextWidth.fit(r.phone, to: 18), r.lastContact.map(f.date) ?? "",
    ]
    print(
      cols.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression))
  }
}

struct Search: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Search clients by name, phone, e-mail, ИНН, person, tag or notes.")
  @OptionGroup var global: Global
  @Argument var text: [String]
  @Flag var json = false
  @Option var limit = 20

  func run() throws {
    let database = try core(global) { try global.open() }
    let q = ClientListQuery(search: text.joined(separator: " "))
    let rows = try core(global) { try database.page(q, offset: 0, limit: max(0, limit)) }
    printRows(rows, json: json, language: global.language)
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the database's integrity and print its schema version.",
    discussion: """
      Always: PRAGMA integrity_check, foreign_key_check, the search index and the client \
      counter against the clients. --deep also compares every client's search-index text with \
      the tables (seconds on a large base).
      """)
  @OptionGroup var global: Global
  @Flag(help: "Also compare each client's search-index text with the tables.") var deep = false

  func run() throws {
    let database = try core(global) { try global.open() }
    var result = try core(global) { try database.check() }
    if deep { result.problems += try core(global) { try database.checkSearchIndex() } }
    let l = global.language
    print(l.pick("database: \(database.path)", "база: \(database.path)"))
    print(
      l.pick(
        "schema version: \(result.schemaVersion) (this crm knows \(Schema.version))",
        "версия схемы: \(result.schemaVersion) (этот crm знает \(Schema.version))"))
    if result.problems.isEmpty {
      print(l.pick("integrity: ok", "целостность: в порядке"))
    } else {
      for p in result.problems { print(p) }
      throw Failure(
        message: l.pick(
          "integrity: \(result.problems.count) problems",
          "целостность: проблем — \(result.problems.count)"), code: 2)
    }
  }
}

struct Keys: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys",
    abstract: "Print the key reference (docs/keys.md is this output).")
  func run() { print(KeyTables.markdown(), terminator: "") }
}

extension Dataset: ExpressibleByArgument {}

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure speed and memory beside the SQLite floor (see docs/benchmarks.md).")
  @Option(help: "S (10,000 clients), M (100,000) or L (1,000,000).") var dataset: Dataset?
  @Flag(help: "Dataset S, fewer repetitions, and a check against bench/baseline.json.")
  var quick = false
  @Flag var json = false
  @Option(help: "Random seed of the dataset.") var seed: UInt64 = 1
  @Option(help: "Where datasets are kept (default: $XDG_CACHE_HOME/termcrm/bench).")
  var dir: String?
  @Option(help: "Baseline ratios to compare with (quick mode).") var baseline =
    "bench/baseline.json"
  @Flag(help: "Write this run's ratios as the new baseline.") var saveBaseline = false
  @Option(help: "Run only the cases whose names contain this text (e.g. \"funnel\").")
  var only: String?
  @Option(help: .hidden) var probeMemory: String?

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    if let path = probeMemory {
      let kb = try MainActor.assumeIsolated { try Benchmark.probeMemory(path: path) }
      print(kb)
      return
    }
    let cache =
      env["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
      ?? (env["HOME"] ?? NSHomeDirectory()) + "/.cache"
    let set = dataset ?? (quick ? .small : .medium)
    let options = BenchOptions(
      dataset: set, quick: quick, seed: seed, directory: dir ?? cache + "/termcrm/bench",
      only: only,
      executable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        ?? CommandLine.arguments[0])
    let report = try MainActor.assumeIsolated {
      try Benchmark(options: options) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        .run()
    }
    print(json ? report.json() : report.table())
    if saveBaseline {
      try Baseline(report).save(baseline)
      FileHandle.standardError.write(Data("saved ratios to \(baseline)\n".utf8))
    } else if quick {
      let base = try Baseline.load(baseline)
      let regressions = base.regressions(report)
      if !regressions.isEmpty {
        throw Failure(
          message: "benchmark regressions:\n" + regressions.joined(separator: "\n"), code: 1)
      }
      FileHandle.standardError.write(
        Data("no regression beyond \(Baseline.tolerance)× the baseline ratios\n".utf8))
    }
  }
}

// A file size limit (`ulimit -f`) would kill crm with SIGXFSZ in the middle of a write; ignored,
// the write fails instead, SQLite rolls the transaction back and the message names the limit.
signal(SIGXFSZ, SIG_IGN)
// Parse by hand so that usage errors exit with 1 (the convention here), not 64.
do {
  if let fast = RemindShort(Array(CommandLine.arguments.dropFirst())) {
    try fast.run()
    exit(0)
  }
  var command = try CRM.parseAsRoot()
  try command.run()
} catch let failure as Failure {
  FileHandle.standardError.write(Data(("crm: " + failure.message + "\n").utf8))
  exit(failure.code)
} catch {
  let code = CRM.exitCode(for: error)
  let text = CRM.fullMessage(for: error)
  if code == .success {
    print(text)
    exit(0)
  }
  FileHandle.standardError.write(Data((text + "\n").utf8))
  exit(1)
}
