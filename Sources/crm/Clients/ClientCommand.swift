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
  @Option(
    help: tr(
      "Name (without the legal form).",
      "Название (без организационно-правовой формы).")) var name: String?
  @Option(
    help: tr(
      "company or person.",
      "company или person (организация или физлицо).")) var kind: ClientKind?
  @Option(
    help: tr(
      "Legal form: ООО, АО, ИП…",
      "Организационно-правовая форма: ООО, АО, ИП…")) var legalForm: String?
  @Option(
    help: tr(
      "ИНН (10 digits for a company, 12 for a person).",
      "ИНН (10 цифр у организации, 12 у физлица).")) var inn: String?
  @Option(
    help: tr(
      "КПП.",
      "КПП.")) var kpp: String?
  @Option(
    help: tr(
      "ОГРН or ОГРНИП.",
      "ОГРН или ОГРНИП.")) var ogrn: String?
  @Option(
    help: tr(
      "Phone; repeat for several (replaces the list).",
      "Телефон; повторите для нескольких (заменяет список).")) var phone: [String] = []
  @Option(
    help: tr(
      "E-mail; repeat for several (replaces the list).",
      "E-mail; повторите для нескольких (заменяет список).")) var email: [String] = []
  @Option(help: tr("Website.", "Сайт.")) var website: String?
  @Option(help: tr("City.", "Город.")) var city: String?
  @Option(help: tr("Legal address.", "Юридический адрес.")) var legalAddress: String?
  @Option(help: tr("Actual address.", "Фактический адрес.")) var actualAddress: String?
  @Option(help: tr("Postal address.", "Почтовый адрес.")) var postalAddress: String?
  @Option(
    help: tr(
      "БИК of the main bank account.",
      "БИК основного банковского счёта.")) var bik: String?
  @Option(
    help: tr(
      "Settlement account (р/с).",
      "Расчётный счёт (р/с).")) var account: String?
  @Option(
    help: tr(
      "Correspondent account (к/с).",
      "Корреспондентский счёт (к/с).")) var corrAccount: String?
  @Option(help: tr("Bank name.", "Название банка.")) var bankName: String?
  @Option(help: tr("Segment.", "Сегмент.")) var segment: String?
  @Option(help: tr("Lead source.", "Источник лида.")) var leadSource: String?
  @Option(
    help: tr(
      "Owner's login.",
      "Логин ответственного.")) var owner: String?
  @Option(
    help: tr(
      "Tag; repeat for several (replaces the list).",
      "Тег; повторите для нескольких (заменяет список).")) var tag: [String] = []
  @Option(help: tr("Notes.", "Заметки.")) var notes: String?

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
    commandName: "client",
    abstract: tr(
      "Add, show, list, edit, delete and restore clients.",
      "Добавить, показать, перечислить, изменить, удалить и восстановить клиентов."),
    subcommands: [Add.self, Show.self, List.self, Edit.self, Delete.self, Restore.self])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Add a client; prints its id.",
        "Добавить клиента; выводит его номер."))
    @OptionGroup var global: Global
    @OptionGroup var fields: ClientFields
    // Team work: a lead for the lead rule (docs/teamwork.md).
    @Flag(
      help: tr(
        "No owner: the lead rule (when on) gives it to a manager.",
        "Без ответственного: правило лидов (если включено) отдаёт клиента менеджеру."))
    var noOwner = false

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
      commandName: "show",
      abstract: tr(
        "Show one client.",
        "Показать одного клиента."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
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
      commandName: "list",
      abstract: tr(
        "List clients.",
        "Список клиентов."))
    @OptionGroup var global: Global
    @OptionGroup var output: JSONOutput
    @OptionGroup var page: Paging<Fifty>
    @Option(
      help: tr(
        "name, city, phone, segment, owner or lastContact.",
        "name, city, phone, segment, owner или lastContact (название, город, телефон, сегмент, ответственный, последний контакт)."
      )) var sort: String = "name"
    @Flag(help: tr("Reverse order.", "Обратный порядок.")) var desc = false
    @Option(help: tr("Segment.", "Сегмент.")) var segment: String?
    @Option(
      help: tr(
        "Owner's login.",
        "Логин ответственного.")) var owner: String?
    @Option(help: tr("Tag.", "Тег.")) var tag: String?
    @Flag(
      help: tr(
        "List the trash instead.",
        "Показать корзину.")) var trash = false

    func check() throws {
      guard ClientListQuery.Sort(rawValue: sort) != nil else {
        let sorts = ClientListQuery.Sort.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValidationError(
          tr("--sort must be one of \(sorts)", "--sort — одно из: \(sorts)"))
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
      commandName: "edit",
      abstract: tr(
        "Change fields of a client.",
        "Изменить поля клиента."),
      discussion: tr(
        "A change someone saved meanwhile to other fields is kept; to the same fields "
          + "it is a conflict: exit 1, nothing saved. --expect-version N refuses the edit unless "
          + "the client is still at version N (crm client show --json prints it).",
        "Изменение, которое кто-то тем временем сохранил в других полях, сохраняется; в тех же "
          + "полях это конфликт: код 1, ничего не сохранено. --expect-version N отклоняет правку, если "
          + "клиент уже не в версии N (её выводит crm client show --json)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @OptionGroup var fields: ClientFields
    @Option(
      help: tr(
        "Save only if the client is still at this version (else exit 1).",
        "Сохранить, только если клиент всё ещё в этой версии (иначе код 1)."))
    var expectVersion: Int64?
    @Flag(
      help: tr(
        "Print the saved client's id and version as JSON.",
        "Вывести номер и версию сохранённого клиента в JSON.")) var json = false

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
      commandName: "delete",
      abstract: tr(
        "Move a client to the trash.",
        "Переместить клиента в корзину."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

    func run(_ session: Session) throws {
      let ctx = session.app
      try ctx.clients.delete(id)
    }
  }

  struct Restore: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "restore",
      abstract: tr(
        "Bring a client back from the trash.",
        "Вернуть клиента из корзины."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

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
      r.match.text(language).isEmpty ? "" : "(\(r.match.text(language)))",
    ]
    print(
      cols.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression))
  }
}
