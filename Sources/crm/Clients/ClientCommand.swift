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
      guard let u = try db.users().first(where: { $0.login == owner }) else {
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

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a client; prints its id.")
    @OptionGroup var global: Global
    @OptionGroup var fields: ClientFields
    // Team work: a lead for the lead rule (docs/teamwork.md).
    @Flag(help: "No owner: the lead rule (when on) gives it to a manager.") var noOwner = false

    func check() throws {
      if noOwner && fields.owner != nil {
        throw Failure(
          message: global.language.pick(
            "--no-owner and --owner cannot be combined", "--no-owner и --owner нельзя сочетать"),
          code: 1)
      }
    }

    func run(_ session: Session) throws {
      let database = session.database
      let ctx = session.app
      var c = Client(name: "")
      try fields.apply(to: &c, db: database, g: global)
      let id = try ctx.clients.add(c, unowned: noOwner)
      print(id)
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one client.")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let database = session.database
      let ctx = AppContext(db: database, language: global.language)
      guard let c = try ctx.clients.client(id) else {
        throw fail(.notFound(what: global.language.pick("client", "клиент"), id: id), global)
      }
      let persons = try ctx.clients.persons(of: id)
      let owner = try database.users().first { $0.id == c.ownerId }?.login
      if output.json {
        print(JSONText.text(ClientJSON.object(c, persons: persons, owner: owner)))
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
      if let cls = try session.context.classification.latest(clientId: id) {
        lines.append(
          "ABC/XYZ: \(cls.abc.isEmpty ? "—" : cls.abc) / \(className(cls.xyz, global.language)) (\(Formats(language: global.language).day(cls.at)))"
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

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List clients.")
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput
    @OptionGroup var page: Paging<Fifty>
    @Option(help: "name, city, phone, segment, owner or lastContact.") var sort: String = "name"
    @Flag var desc = false
    @Option var segment: String?
    @Option(help: "Owner's login.") var owner: String?
    @Option var tag: String?
    @Flag(help: "List the trash instead.") var trash = false

    func check() throws {
      guard ClientListQuery.Sort(rawValue: sort) != nil else {
        throw ValidationError(
          "--sort must be one of \(ClientListQuery.Sort.allCases.map(\.rawValue).joined(separator: ", "))"
        )
      }
      try page.check()
    }

    func run(_ session: Session) throws {
      let database = session.database
      guard let s = ClientListQuery.Sort(rawValue: sort) else { return }  // check() said why
      var ownerId: Int64?
      if let owner {
        ownerId = try database.users().first { $0.login == owner }?.id ?? -1
      }
      let q = ClientListQuery(
        sort: s, descending: desc, segment: segment, ownerId: ownerId, tag: tag, trash: trash)
      let rows = page.shown(
        try database.page(q, offset: page.offset, limit: page.sqlLimit(machine: output.json)),
        machine: output.json, language: global.language)
      printRows(rows, json: output.json, language: global.language)
    }
  }

  struct Edit: CRMCommand {
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

    func run(_ session: Session) throws {
      let database = session.database
      let ctx = session.app
      guard let base = try ctx.clients.client(id) else {
        throw fail(.notFound(what: global.language.pick("client", "клиент"), id: id), global)
      }
      var c = base
      if let expectVersion { c.version = expectVersion }
      try fields.apply(to: &c, db: database, g: global)
      // With --expect-version there is no base to merge with: any change meanwhile refuses.
      try ctx.clients.update(c, base: expectVersion == nil ? base : nil)
      if json {
        let saved = try ctx.clients.client(id)
        printJSON(["id": id, "version": saved?.version ?? 0])
      }
    }
  }

  struct Delete: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete", abstract: "Move a client to the trash.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run(_ session: Session) throws {
      let ctx = session.app
      try ctx.clients.delete(id)
    }
  }

  struct Restore: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "restore", abstract: "Bring a client back from the trash.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run(_ session: Session) throws {
      let ctx = session.app
      try ctx.clients.restore(id)
    }
  }
}

func printRows(_ rows: [ClientRow], json: Bool, language: Language) {
  if json {
    print(JSONText.text(rows.map(ClientJSON.object)))
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
