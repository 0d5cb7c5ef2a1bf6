import CRMCore
import Foundation
import TerminalUI

/// The client card: requisites, contact persons and history, one section at a time (Tab).
@MainActor
public final class ClientCardScreen: Screen {
  public enum Section: Int, CaseIterable {
    case requisites, persons, contacts, history, deals, money, mail, files
  }

  public let tab = 1
  public let context: AppContext
  let clientId: Int64
  weak var list: ClientsScreen?
  public internal(set) var section = Section.requisites
  var client: Client?
  var persons: [ContactPerson] = []
  var history: [AuditEntry] = []
  var contacts: [ContactRow] = []
  var deals: [DealRow] = []
  var state = ListState()
  /// Contracts, invoices, payments and acts (read only while the section is shown).
  let money: MoneyPanel
  /// The client's logged mail with the text of the selected message.
  let mail: MailThreadPanel
  /// The client's files (its deals' too), newest first.
  let files: AttachmentsPanel
  /// How many of the client's deals the card reads (newest first).
  static let dealLimit = 200
  var loaded = false
  /// The newest change in the log when the card opened: `u` reaches only the signed-in user's
  /// changes to this client made after it (here and in the forms opened from here).
  let undoSince: Int64

  public init(
    context: AppContext, clientId: Int64, list: ClientsScreen?, section: Section = .requisites
  ) {
    self.context = context
    self.clientId = clientId
    self.list = list
    self.section = section
    money = MoneyPanel(context: context, clientId: clientId)
    mail = MailThreadPanel(context: context, clientId: clientId)
    files = AttachmentsPanel(context: context, clientId: clientId)
    undoSince = (try? context.clients.changeMark()) ?? Int64.max
  }

  func load() {
    historyUsers = nil
    client = try? context.clients.client(clientId)
    persons = (try? context.clients.persons(of: clientId)) ?? []
    history = (try? context.clients.history(of: clientId)) ?? []
    contacts = (try? context.contacts.contacts(ofClient: clientId)) ?? []
    deals =
      (try? context.deals.list(DealFilter(clientId: clientId), limit: Self.dealLimit)) ?? []
    loaded = true
  }

  public func dataChanged() {
    loaded = false
    money.loaded = false
    mail.loaded = false
    files.loaded = false
  }

  func reload() {
    loaded = false
    money.loaded = false
    mail.loaded = false
    files.loaded = false
    list?.reload()
  }

  func requisiteLines(_ c: Client) -> [(String, String)] {
    let v = context.clients.validator
    var out: [(String, String)] = [
      (v.fieldName("kind"), c.kind.name(l)),
      (v.fieldName("inn"), c.inn), (v.fieldName("kpp"), c.kpp),
      (v.fieldName("ogrn"), c.ogrn),
      (
        v.fieldName("phones"),
        c.phones.map { p in p.e164.map { $0 == p.raw ? p.raw : "\(p.raw) (\($0))" } ?? p.raw }
          .joined(separator: ", ")
      ),
      (v.fieldName("emails"), c.emails.joined(separator: ", ")),
      (v.fieldName("website"), c.website),
      (v.fieldName("city"), c.city), (v.fieldName("legal_address"), c.legalAddress),
      (v.fieldName("actual_address"), c.actualAddress),
      (v.fieldName("postal_address"), c.postalAddress),
    ]
    for a in c.bankAccounts {
      out.append((v.fieldName("bank_name"), a.bankName))
      out.append((v.fieldName("bik"), a.bik))
      out.append((v.fieldName("account"), a.account))
      out.append((v.fieldName("corr_account"), a.corrAccount))
    }
    let owner = c.ownerId.flatMap { id in (try? context.db.users())?.first { $0.id == id } }
    out += [
      (v.fieldName("segment"), c.segment), (v.fieldName("lead_source"), c.leadSource),
      (v.fieldName("owner"), owner.map { "\($0.name) (\($0.login))" } ?? ""),
      (v.fieldName("tags"), c.tags.joined(separator: ", ")),
    ]
    for (i, line) in c.notes.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      out.append((i == 0 ? v.fieldName("notes") : "", String(line)))
    }
    return out.filter { !$0.1.isEmpty }
  }

  /// The users, read once per card load, for names in the history.
  var historyUsers: [User]?

  func historyLine(_ e: AuditEntry) -> String {
    let log = context.core.audit
    let entities: [String: (String, String)] = [
      "person": ("person ", "лицо "), "contact": ("contact ", "контакт "),
      "contract": ("contract ", "договор "), "invoice": ("invoice ", "счёт "),
      "payment": ("payment ", "платёж "), "act": ("act ", "акт "), "deal": ("deal ", "сделка "),
      "offer": ("offer ", "КП "),
    ]
    let what = entities[e.entity].map { l.pick($0.0, $0.1) } ?? ""
    let field = log.fieldName(entity: e.entity, e.field)
    if historyUsers == nil { historyUsers = (try? context.db.users()) ?? [] }
    let users = historyUsers ?? []
    // Stored codes (user ids, statuses, kinds, ISO days) as words and the language's dates.
    let old = TextWidth.truncate(
      log.valueText(entity: e.entity, field: e.field, e.old, users: users), to: 30)
    let new = TextWidth.truncate(
      log.valueText(entity: e.entity, field: e.field, e.new, users: users), to: 30)
    let how = e.action == "bulk" ? l.pick("bulk: ", "массово: ") : ""
    return
      "\(context.formats.dateTime(e.at))  \(e.user)  \(how)\(what)\(field): \(old) → \(new)"
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    if !loaded { load() }
    guard let c = client else {
      canvas.put(
        top + 1, 2, l.pick("This client no longer exists.", "Этого клиента больше нет."), .error)
      return
    }
    var title = c.displayName
    if c.deletedAt != nil { title += l.pick("  [in the trash]", "  [в корзине]") }
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    let tabs = sectionTitles(width: width - 1)
    var col = 1
    for (i, name) in tabs.enumerated() {
      col =
        canvas.put(
          top + 1, col, " \(name) ", i == section.rawValue ? Style(bold: true, reverse: true) : .dim
        ) + 1
    }
    let bodyTop = top + 3
    state.visible = max(1, rows - 3)
    switch section {
    case .requisites:
      let lines = requisiteLines(c)
      state.count = lines.count
      state.clamp()
      let labelWidth = min(20, (lines.map { TextWidth.of($0.0) }.max() ?? 0) + 1)
      for (i, line) in lines.dropFirst(state.top).prefix(state.visible).enumerated() {
        canvas.put(bodyTop + i, 1, TextWidth.fit(line.0, to: labelWidth), .dim)
        canvas.put(bodyTop + i, 2 + labelWidth, line.1, maxWidth: width - labelWidth - 3)
      }
    case .persons:
      state.count = persons.count
      state.clamp()
      if persons.isEmpty {
        canvas.put(
          bodyTop, 2,
          l.pick(
            "No contact persons. Press a to add one.",
            "Контактных лиц нет. Нажмите a, чтобы добавить."), .dim)
        return
      }
      let v = context.clients.validator
      let columns = [
        Column(v.fieldName("name"), width: 0), Column(v.fieldName("position"), width: 22),
        Column(v.fieldName("phones"), width: 18), Column(v.fieldName("emails"), width: 24),
      ]
      state.visible = max(1, rows - 4)
      state.clamp()
      let cells = persons.dropFirst(state.top).prefix(state.visible).map {
        [$0.name, $0.position, $0.phones.first?.raw ?? "", $0.emails.first ?? ""]
      }
      drawTable(
        &canvas, top: bodyTop, rows: rows - 3, width: width, columns: columns, cells: Array(cells),
        firstIndex: state.top, selected: state.selected)
    case .contacts:
      state.count = contacts.count
      state.clamp()
      if contacts.isEmpty {
        canvas.put(
          bodyTop, 2,
          l.pick(
            "No contacts yet. l logs one that happened, p plans one.",
            "Контактов пока нет. l — записать состоявшийся, p — запланировать."), .dim)
        return
      }
      let s = context.contacts
      let columns = [
        Column(s.fieldName("due"), width: 16), Column(s.fieldName("status"), width: 13),
        Column(s.fieldName("kind"), width: 9), Column(s.fieldName("user"), width: 10),
        Column(l.pick("Subject / outcome", "Тема / результат"), width: 0),
      ]
      state.visible = max(1, rows - 4)
      state.clamp()
      let now = context.db.clock.now()
      let shown = Array(contacts.dropFirst(state.top).prefix(state.visible))
      let cells = shown.map { r -> [String] in
        let c = r.contact
        let text = [c.subject, c.outcome.replacingOccurrences(of: "\n", with: " ")]
          .filter { !$0.isEmpty }.joined(separator: " — ")
        return [
          c.at.map(context.formats.dateTime) ?? "", c.status.name(l), c.kind.name(l), r.userLogin,
          text,
        ]
      }
      drawTable(
        &canvas, top: bodyTop, rows: rows - 3, width: width, columns: columns, cells: cells,
        firstIndex: state.top, selected: state.selected
      ) { i in
        let c = self.contacts[i].contact
        if c.status == .planned, let due = c.dueAt, due < now { return Style(color: .red) }
        return c.status == .planned ? .bold : (c.status == .done ? .plain : .dim)
      }
    case .history:
      state.count = history.count
      state.clamp()
      for (i, e) in history.dropFirst(state.top).prefix(state.visible).enumerated() {
        canvas.put(bodyTop + i, 1, historyLine(e), maxWidth: width - 2)
      }
    case .deals:
      drawDeals(&canvas, top: bodyTop, rows: rows - 3, width: width)
    case .money:
      money.draw(&canvas, top: bodyTop, rows: rows - 3, width: width)
    case .mail:
      mail.draw(&canvas, top: bodyTop, rows: rows - 3, width: width)
    case .files:
      files.draw(&canvas, top: bodyTop, rows: rows - 3, width: width)
    }
  }

  /// The sections' names for the tab row, the longest variant that fits `width`: with counts,
  /// then «Лица» for «Контактные лица», then counts only on the current section.
  func sectionTitles(width: Int) -> [String] {
    let counts: [String?] = [
      nil, "\(persons.count)", "\(contacts.count)", "\(history.count)", "\(deals.count)", nil,
      "\(mail.count)", files.countText,
    ]
    let long = [
      l.pick("Requisites", "Реквизиты"), l.pick("Persons", "Контактные лица"),
      l.pick("Contacts", "Контакты"), l.pick("History", "История"), l.pick("Deals", "Сделки"),
      l.pick("Money", "Деньги"), l.pick("Mail", "Почта"), l.pick("Files", "Файлы"),
    ]
    var short = long
    short[1] = l.pick("Persons", "Лица")
    func titles(_ names: [String], allCounts: Bool) -> [String] {
      names.enumerated().map { i, name in
        guard let n = counts[i], allCounts || i == section.rawValue else { return name }
        return name + " (\(n))"
      }
    }
    let variants = [
      titles(long, allCounts: true), titles(short, allCounts: true),
      titles(short, allCounts: false),
    ]
    func size(_ t: [String]) -> Int { t.reduce(0) { $0 + TextWidth.of($1) + 3 } }
    return variants.first { size($0) <= width } ?? variants[variants.count - 1]
  }

  func drawDeals(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    state.count = deals.count
    state.clamp()
    if deals.isEmpty {
      canvas.put(
        top, 2,
        l.pick(
          "No deals yet. Press D to add one.", "Сделок пока нет. Нажмите D, чтобы добавить."),
        .dim)
      return
    }
    let d = context.deals
    let columns = [
      Column("№", width: 5), Column(d.fieldName("title"), width: 0),
      Column(d.fieldName("stage"), width: 22), Column(d.fieldName("amount"), width: 13),
      Column(d.fieldName("status"), width: 9),
    ]
    state.visible = max(1, rows - 1)
    state.clamp()
    let shown = Array(deals.dropFirst(state.top).prefix(state.visible))
    let cells = shown.map { r -> [String] in
      var stage = r.stage.name(l)
      if r.deal.status == .open {
        stage += r.daysOver.map { l.pick(" +\($0) d", " +\($0) дн") } ?? ""
      }
      return [
        "\(r.id)", r.deal.title, stage,
        r.deal.amount == 0 ? "—" : r.deal.money.formatted(l, whole: true),
        r.deal.status.name(l),
      ]
    }
    drawTable(
      &canvas, top: top, rows: rows, width: width, columns: columns, cells: cells,
      firstIndex: state.top, selected: state.selected
    ) { i in
      let r = self.deals[i]
      switch r.deal.status {
      case .open: return r.daysOver != nil ? Style(bold: true, color: .red) : .plain
      case .won: return Style(color: .green)
      case .lost: return .dim
      }
    }
  }

  public func handle(_ key: Key, app: App) {
    if section == .money {
      if money.move(key) { return }
    } else if section == .mail {
      if mail.move(key) { return }
    } else if section == .files {
      if files.move(key) { return }
    } else if state.move(key) {
      return
    }
    switch keys.action(for: key) {
    case .nextTab:
      section = Section(rawValue: (section.rawValue + 1) % Section.allCases.count)!
      state = ListState()
    case .invoice, .payment, .contract, .act, .cancelDocument, .pdf, .openPDF:
      moneyAction(keys.action(for: key)!, app: app)
    case .back:
      app.pop()
    case .mailThread:
      section = .mail
      state = ListState()
    case .files:
      if section == .files, let a = files.selected {
        AttachmentOpen.run(a, context: context, app: app)
      } else {
        section = .files
        state = ListState()
      }
    case .audit:
      app.push(AuditScreen(context: context, filter: AuditQuery(clientId: clientId), tab: tab))
    case .edit:
      if section == .persons, persons.indices.contains(state.selected) {
        editPerson(persons[state.selected], app: app)
      } else if let c = client {
        app.push(ClientFormScreen.edit(context: context, client: c, list: list))
        loaded = false
      }
    case .open:
      if section == .files, let a = files.selected {
        AttachmentOpen.run(a, context: context, app: app)
      } else if section == .persons, persons.indices.contains(state.selected) {
        editPerson(persons[state.selected], app: app)
      } else if section == .contacts, contacts.indices.contains(state.selected) {
        _ = ContactActions.handle(
          .edit, row: contacts[state.selected], tab: tab, context: context, app: app
        ) { [weak self] in self?.reload() }
      } else if section == .mail, let m = mail.selected,
        let row = (try? context.contacts.contact(m.contactId)) ?? nil
      {
        _ = ContactActions.handle(
          .edit, row: row, tab: tab, context: context, app: app
        ) { [weak self] in self?.reload() }
      } else if section == .deals, deals.indices.contains(state.selected) {
        app.push(
          DealCardScreen(context: context, dealId: deals[state.selected].id, tab: tab) {
            [weak self] in self?.reload()
          })
      } else if section == .money, let inv = money.selectedInvoice {
        app.push(
          InvoiceScreen(context: context, invoiceId: inv.id, tab: tab) { [weak self] in
            self?.reload()
          })
      } else if section == .money, money.selectedContract != nil {
        app.flash(
          l.pick(
            "A contract: i issues an invoice on it, A makes an act for it.",
            "Договор: i — выставить счёт по нему, A — акт по нему."))
      }
    case .log:
      section = .contacts
      state = ListState()
      ContactFlows.log(
        clientId: clientId, name: client?.displayName ?? "", tab: tab, context: context, app: app
      ) { [weak self] in self?.reload() }
    case .plan:
      section = .contacts
      state = ListState()
      ContactFlows.plan(
        clientId: clientId, name: client?.displayName ?? "", tab: tab, context: context, app: app
      ) { [weak self] in self?.reload() }
    case .addDeal:
      guard let c = client else { return }
      section = .deals
      state = ListState()
      DealFlows.add(client: c.id!, name: c.displayName, tab: tab, context: context, app: app) {
        [weak self] in self?.reload()
      }
    case .add:
      section = .persons
      editPerson(ContactPerson(clientId: clientId, name: ""), app: app)
    case .delete where section == .contacts:
      guard contacts.indices.contains(state.selected) else { return }
      _ = ContactActions.handle(
        .done, row: contacts[state.selected], tab: tab, context: context, app: app
      ) { [weak self] in self?.reload() }
    case .cancelContact:
      guard section == .contacts, contacts.indices.contains(state.selected) else {
        app.flash(
          l.pick(
            "x cancels a planned contact: choose it in Contacts (Tab), then x.",
            "x отменяет запланированный контакт: выберите его в разделе «Контакты» (Tab), затем x.")
        )
        return
      }
      _ = ContactActions.handle(
        .delete, row: contacts[state.selected], tab: tab, context: context, app: app
      ) { [weak self] in self?.reload() }
    case .delete:
      guard section == .persons, persons.indices.contains(state.selected) else {
        app.flash(
          l.pick(
            "Delete the client from the list (d there).",
            "Клиента удаляют из списка (клавиша d там)."))
        return
      }
      let p = persons[state.selected]
      app.ask(
        l.pick("Delete", "Удаление"),
        l.pick("Delete contact person «\(p.name)»?", "Удалить контактное лицо «\(p.name)»?")
      ) {
        [self] in
        do {
          try context.clients.deletePerson(p.id!)
          app.flash(l.pick("Deleted; u undoes.", "Удалено; u — отменить."))
          reload()
        } catch { app.report(error) }
      }
    case .undo:
      undo(app: app)
    default:
      break
    }
  }

  /// `u`: the signed-in user's latest change to this client (its requisites, persons and
  /// contacts) since the card opened, named and asked about first.
  func undo(app: App) {
    do {
      let step = try context.clients.undoable(client: clientId, since: undoSince)
      UndoFlow.offer(
        step,
        nothing: l.pick(
          "Nothing to undo: you have changed nothing of this client since the card opened.",
          "Нечего отменять: с открытия карточки вы ничего не меняли у этого клиента."),
        context: context, app: app
      ) { [weak self] in self?.reload() }
    } catch { app.report(error) }
  }

  /// `i`, `$`, `K`, `A` and `c`: documents of the Money section (the section opens first).
  func moneyAction(_ action: Action, app: App) {
    guard let c = client else { return }
    let wasMoney = section == .money
    if !wasMoney {
      section = .money
      state = ListState()
    }
    let name = c.displayName
    let done: (String) -> (Int64) -> Void = { prefix in
      { [weak self] id in
        self?.money.pendingKey = prefix + "\(id)"
        self?.reload()
      }
    }
    switch action {
    case .invoice:
      MoneyFlows.newInvoice(
        clientId: clientId, name: name, preselect: wasMoney ? money.selectedContract?.id : nil,
        tab: tab, context: context, app: app, changed: done("i"))
    case .payment:
      MoneyFlows.newPayment(
        clientId: clientId, name: name,
        invoice: wasMoney ? money.selectedInvoice?.invoice : nil, tab: tab, context: context,
        app: app, changed: done("p"))
    case .contract:
      MoneyFlows.newContract(
        clientId: clientId, name: name, tab: tab, context: context, app: app, changed: done("k"))
    case .act:
      if wasMoney, let inv = money.selectedInvoice {
        MoneyFlows.act(from: inv.invoice, context: context, app: app, changed: done("a"))
      } else if wasMoney, let k = money.selectedContract {
        MoneyFlows.act(for: k, tab: tab, context: context, app: app, changed: done("a"))
      } else {
        app.flash(
          l.pick(
            "Select an invoice or a contract in Money, then A.",
            "Выберите счёт или договор в разделе «Деньги», затем A."))
      }
    case .cancelDocument:
      if wasMoney, let inv = money.selectedInvoice {
        MoneyFlows.cancel(invoice: inv.invoice, context: context, app: app) { [weak self] in
          self?.reload()
        }
      } else if wasMoney, let a = money.selectedAct {
        MoneyFlows.cancel(act: a.act, context: context, app: app) { [weak self] in
          self?.reload()
        }
      } else {
        app.flash(
          l.pick(
            "Select an invoice or an act in Money, then c.",
            "Выберите счёт или акт в разделе «Деньги», затем c."))
      }
    case .pdf, .openPDF:
      let open = action == .openPDF
      if wasMoney, let inv = money.selectedInvoice {
        DocumentPDFFlow.run(.invoice, id: inv.id, open: open, context: context, app: app)
      } else if wasMoney, let a = money.selectedAct {
        DocumentPDFFlow.run(.act, id: a.id, open: open, context: context, app: app)
      } else {
        app.flash(
          l.pick(
            "Select an invoice or an act in Money, then P.",
            "Выберите счёт или акт в разделе «Деньги», затем P."))
      }
    default:
      break
    }
  }

  func editPerson(_ p: ContactPerson, app: App) {
    app.push(PersonFormScreen(context: context, person: p) { [weak self] in self?.reload() })
  }
}
