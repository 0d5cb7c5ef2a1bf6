import CRMCore
import Foundation
import TerminalUI

extension FormScreen {
  /// Like `show`, with the core's field names that mean one of this form's fields (a sum is
  /// read as a line's «Цена», a period's ends as «Период с» / «Период по»).
  func show(_ error: CRMError, app: App, aliases: [String: String]) {
    if case .invalid(let field, let problem) = error, let key = aliases[field] {
      form.setError(key, problem)
      app.flash(error.message(context.language), error: true)
    } else {
      show(error, app: app)
    }
  }

  /// Help lines under the form, as many as fit below its fields.
  func drawNotes(_ notes: [String], _ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let formRows = form.fields.count + 3
    let room = rows - formRows
    guard room > 0 else { return }
    var lines: [String] = []
    for n in notes { lines += wrap(n, width: width - 2) }
    for (i, line) in lines.prefix(room).enumerated() {
      canvas.put(top + formRows + i, 1, line, .dim, maxWidth: width - 2)
    }
  }

  /// `да`/`нет` (also yes/no, y/n, д/н, 1/0, +/-); nil when it is neither.
  static func yesNo(_ text: String) -> Bool? {
    switch TextFold.key(text.trimmingSpaces()) {
    case "да", "д", "yes", "y", "1", "+", "true": return true
    case "нет", "н", "no", "n", "0", "-", "false", "": return false
    default: return nil
    }
  }

  static func yesNoText(_ v: Bool, _ l: Language) -> String {
    v ? l.pick("yes", "да") : l.pick("no", "нет")
  }
}

/// A new invoice of a client, on a contract or without one: the sum (one line), VAT, the due
/// day and the line's name; empty fields take the core's defaults.
@MainActor
final class InvoiceFormScreen: FormScreen {
  let clientId: Int64
  let contract: Contract?
  let notes: [String]
  let onSaved: (Int64) -> Void

  init(
    tab: Int, context: AppContext, clientId: Int64, contract: Contract?, form: Form,
    notes: [String], onSaved: @escaping (Int64) -> Void
  ) {
    self.clientId = clientId
    self.contract = contract
    self.notes = notes
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: tab)
  }

  static func make(
    tab: Int, context: AppContext, clientId: Int64, clientName: String, contract row: ContractRow?,
    onSaved: @escaping (Int64) -> Void
  ) -> InvoiceFormScreen {
    let l = context.language
    let m = context.money
    let dueDays = dueDaysDefault(context)
    var sum = ""
    var notes: [String] = []
    var title = l.pick("New invoice: ", "Новый счёт: ") + clientName
    if let row = row {
      let c = row.contract
      title += l.pick(" · contract № ", " · договор № ") + c.number
      // Nothing invoiced yet and a prepayment agreed: the prepayment; else what is left.
      let left = row.toInvoice
      var suggested = left
      if row.summary.invoiced == 0 && c.prepayPercent > 0 {
        suggested = (c.amount * Int64(c.prepayPercent) + 50) / 100
      }
      if suggested > 0 { sum = MoneyText.input(Money(minor: suggested, currency: c.money), l) }
      var terms = [
        l.pick("Contract № ", "Договор № ") + c.number + l.pick(" of ", " от ")
          + MoneyText.day(c.date, l),
        MoneyText.amount(c.amount, c.money, l),
      ]
      if c.prepayPercent > 0 {
        terms.append(l.pick("prepayment \(c.prepayPercent) %", "предоплата \(c.prepayPercent) %"))
      }
      if let d = c.paymentDays { terms.append(l.pick("pay in \(d) d", "оплата \(d) дн.")) }
      terms.append(
        l.pick("not invoiced yet ", "ещё не выставлено ") + MoneyText.amount(left, c.money, l))
      notes.append(terms.joined(separator: " · "))
    } else {
      title += l.pick(" · no contract", " · без договора")
    }
    let days = row?.contract.paymentDays ?? dueDays
    notes.append(
      l.pick(
        "Empty fields: VAT at the standard rate, due in \(days) d, the item named after the contract. ^S saves.",
        "Пустые поля: НДС по основной ставке, оплатить через \(days) дн., наименование — по договору. ^S — сохранить."
      ))
    let form = Form(
      title: title,
      fields: [
        FormField(
          key: "sum", label: m.fieldName("sum"), value: sum,
          note: l.pick("1000, 12 500.50", "1000, 12 500,50")),
        FormField(
          key: "vat", label: m.fieldName("vat"),
          note: l.pick("22, 10, 0 or «none»", "22, 10, 0 или «без НДС»")),
        FormField(
          key: "due", label: m.fieldName("due"),
          note: l.pick("2026-12-31, +10d", "31.12.2026, +10d")),
        FormField(key: "item", label: m.fieldName("item")),
      ])
    return InvoiceFormScreen(
      tab: tab, context: context, clientId: clientId, contract: row?.contract, form: form,
      notes: notes, onSaved: onSaved)
  }

  static func dueDaysDefault(_ context: AppContext) -> Int {
    do { return try context.db.settings().invoiceDueDays } catch { return 5 }
  }

  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    super.draw(&canvas, top: top, rows: rows, width: width)
    drawNotes(notes, &canvas, top: top, rows: rows, width: width)
  }

  override func submit(app: App) -> Bool {
    let m = context.money
    let sum = form.value("sum").trimmingSpaces()
    if sum.isEmpty {
      form.setError("sum", l.pick("is empty", "пусто"))
      return false
    }
    let vat = form.value("vat").trimmingSpaces()
    let item = form.value("item").trimmingSpaces()
    let draft = DocumentDraft(
      clientId: clientId, contractId: contract?.id, due: form.value("due"),
      lines: [DocumentDraft.sumLine(sum, item: item, vat: vat.isEmpty ? nil : vat)])
    do {
      let id = try m.addInvoice(draft)
      let inv = try m.invoice(id)?.invoice
      app.flash(
        l.pick("Invoice № \(inv?.number ?? "") issued", "Счёт № \(inv?.number ?? "") выставлен")
          + (inv.map { " · " + MoneyText.amount($0.total, $0.money, l) } ?? "")
          + (inv.map { l.pick(", due ", ", оплатить до ") + MoneyText.day($0.dueDate, l) } ?? "")
          + ".")
      onSaved(id)
      return true
    } catch {
      let o = context.core.offers
      show(
        error, app: app,
        aliases: [
          o.fieldName("price"): "sum", o.fieldName("vat"): "vat", o.fieldName("item"): "item",
        ])
      return false
    }
  }
}

/// A payment of a client typed by hand: the sum, the day, cash or bank, management-only cash,
/// and the invoice to allocate it to (the oldest unpaid one by default; empty: none).
@MainActor
final class PaymentFormScreen: FormScreen {
  let clientId: Int64
  let unpaid: [InvoiceRow]
  let notes: [String]
  let onSaved: (Int64) -> Void

  init(
    tab: Int, context: AppContext, clientId: Int64, unpaid: [InvoiceRow], form: Form,
    notes: [String], onSaved: @escaping (Int64) -> Void
  ) {
    self.clientId = clientId
    self.unpaid = unpaid
    self.notes = notes
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: tab)
  }

  /// `invoice`: the invoice to pay (else the oldest unpaid one).
  static func make(
    tab: Int, context: AppContext, clientId: Int64, clientName: String, invoice: Invoice? = nil,
    onSaved: @escaping (Int64) -> Void
  ) -> PaymentFormScreen {
    let l = context.language
    let m = context.money
    let unpaid = unpaidInvoices(context, clientId)
    let target = invoice ?? unpaid.last?.invoice
    var notes: [String] = []
    if !unpaid.isEmpty {
      notes.append(
        l.pick("Unpaid: ", "Неоплаченные: ")
          + unpaid.reversed().prefix(8).map { r in
            let i = r.invoice
            return "№ \(i.number) — " + MoneyText.amount(i.owed, i.money, l)
              + l.pick(" by ", " до ") + MoneyText.day(i.dueDate, l)
          }.joined(separator: "; "))
    } else {
      notes.append(
        l.pick(
          "No unpaid invoices: the payment stays unallocated (an advance).",
          "Неоплаченных счетов нет: платёж останется нераспределённым (аванс)."))
    }
    notes.append(
      l.pick(
        "Cash: yes for cash, no for a bank transfer typed by hand (bank payments usually come with the statement). Management only: cash kept out of accounting.",
        "Наличные: да — наличные, нет — банковский платёж вручную (обычно они приходят с выпиской). Управленческий: наличные вне бухгалтерии."
      ))
    let form = Form(
      title: l.pick("Payment: ", "Оплата: ") + clientName,
      fields: [
        FormField(
          key: "amount", label: m.fieldName("amount"),
          value: target.map { MoneyText.input(Money(minor: $0.owed, currency: $0.money), l) } ?? "",
          note: l.pick("1000, 12 500.50", "1000, 12 500,50")),
        FormField(
          key: "date", label: m.fieldName("date"), note: l.pick("empty: today", "пусто — сегодня")),
        FormField(
          key: "cash", label: l.pick("Cash", "Наличные"), value: yesNoText(true, l),
          note: l.pick("yes / no", "да / нет")),
        FormField(
          key: "management_only", label: m.fieldName("management_only"),
          value: yesNoText(false, l), note: l.pick("yes / no", "да / нет")),
        FormField(
          key: "invoice", label: m.fieldName("invoice"), value: target?.number ?? "",
          note: l.pick("its number; empty: none", "номер; пусто — без счёта")),
      ])
    return PaymentFormScreen(
      tab: tab, context: context, clientId: clientId, unpaid: unpaid, form: form, notes: notes,
      onSaved: onSaved)
  }

  /// The client's unpaid invoices, newest first.
  static func unpaidInvoices(_ context: AppContext, _ clientId: Int64) -> [InvoiceRow] {
    do {
      return try context.money.invoices(
        MoneyService.InvoiceFilter(clientId: clientId, unpaidOnly: true), limit: 200)
    } catch { return [] }
  }

  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    super.draw(&canvas, top: top, rows: rows, width: width)
    drawNotes(notes, &canvas, top: top, rows: rows, width: width)
  }

  /// The invoice a typed number names among the client's issued ones (unpaid first).
  func findInvoice(_ text: String) throws(CRMError) -> Invoice? {
    let key = DocumentNumber.key(text)
    if key.isEmpty { return nil }
    if let r = unpaid.first(where: { DocumentNumber.key($0.invoice.number) == key }) {
      return r.invoice
    }
    let all = try context.money.invoices(
      MoneyService.InvoiceFilter(clientId: clientId), limit: 1000)
    return all.first {
      DocumentNumber.key($0.invoice.number) == key && $0.invoice.stored == .issued
    }?
    .invoice
  }

  override func submit(app: App) -> Bool {
    let m = context.money
    guard let cash = Self.yesNo(form.value("cash")) else {
      form.setError("cash", l.pick("yes or no", "да или нет"))
      return false
    }
    guard let mgmt = Self.yesNo(form.value("management_only")) else {
      form.setError("management_only", l.pick("yes or no", "да или нет"))
      return false
    }
    return saving(app: app) { () throws(CRMError) -> Bool in
      let typed = form.value("invoice").trimmingSpaces()
      let invoice = try findInvoice(typed)
      if !typed.isEmpty && invoice == nil {
        form.setError(
          "invoice",
          l.pick(
            "the client has no issued invoice № \(typed)",
            "у клиента нет выставленного счёта № \(typed)"))
        return false
      }
      let currency = invoice?.money ?? .rub
      let amount = try Money.parse(
        form.value("amount"), currency: currency, language: l, field: m.fieldName("amount"))
      let id = try m.addPayment(
        Payment(
          clientId: clientId, source: cash ? .cash : .bank, managementOnly: mgmt,
          date: form.value("date"), amount: amount.minor, currency: currency.code),
        invoiceId: invoice?.id)
      let allocated = try m.payment(id)?.payment.allocated ?? 0
      var text =
        l.pick("Payment of ", "Оплата ") + MoneyText.amount(amount, l)
        + l.pick(" recorded", " записана")
      if let invoice, allocated > 0 {
        text +=
          l.pick("; to invoice № ", "; на счёт № ") + invoice.number + ": "
          + MoneyText.amount(allocated, currency, l)
      }
      if allocated < amount.minor {
        text +=
          l.pick("; unallocated ", "; не распределено ")
          + MoneyText.amount(amount.minor - allocated, currency, l)
      }
      app.flash(text + ".")
      onSaved(id)
      return true
    }
  }
}

/// A new contract: number, date, kind, sum, currency, rate, prepayment, payment terms, subject.
@MainActor
final class ContractFormScreen: FormScreen {
  let clientId: Int64
  let onSaved: (Int64) -> Void

  init(
    tab: Int, context: AppContext, clientId: Int64, form: Form, onSaved: @escaping (Int64) -> Void
  ) {
    self.clientId = clientId
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: tab)
  }

  static func make(
    tab: Int, context: AppContext, clientId: Int64, clientName: String,
    onSaved: @escaping (Int64) -> Void
  ) -> ContractFormScreen {
    let l = context.language
    let m = context.money
    func f(_ key: String, _ value: String = "", _ note: String? = nil) -> FormField {
      FormField(key: key, label: m.fieldName(key), value: value, note: note)
    }
    let form = Form(
      title: l.pick("New contract: ", "Новый договор: ") + clientName,
      fields: [
        f("number", "", l.pick("required, e.g. 7/25", "обязательно, например 7/25")),
        f("date", MoneyText.day(m.today, l), l.pick("2026-12-31", "31.12.2026")),
        f(
          "kind", ContractKind.formal.name(l),
          l.pick("formal or actual", "письменный или фактический")),
        f("amount", "", l.pick("1000, 12 500.50", "1000, 12 500,50")),
        f("currency", "RUB", "RUB, USD, EUR, CNY…"),
        f("rate", "", l.pick("roubles per unit; foreign only", "руб. за единицу; для валюты")),
        f("prepay", "", l.pick("percent, 0–100", "процент, 0–100")),
        f("payment_days", "", l.pick("days after an invoice", "дней после счёта")),
        f("subject"),
      ])
    return ContractFormScreen(
      tab: tab, context: context, clientId: clientId, form: form, onSaved: onSaved)
  }

  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    super.draw(&canvas, top: top, rows: rows, width: width)
    drawNotes(
      [
        l.pick(
          "Kind: formal (signed) or actual (work on invoices without a paper). Payment terms set the due day of its invoices. ^S saves.",
          "Вид: письменный (подписан) или фактический (работа по счетам без бумаги). Срок оплаты задаёт срок счетов по договору. ^S — сохранить."
        )
      ], &canvas, top: top, rows: rows, width: width)
  }

  override func submit(app: App) -> Bool {
    let m = context.money
    return saving(app: app) { () throws(CRMError) -> Bool in
      let currency = try Currency.parse(
        form.value("currency").trimmingSpaces().isEmpty ? "RUB" : form.value("currency"),
        language: l, field: m.fieldName("currency"))
      let amountText = form.value("amount").trimmingSpaces()
      let amount =
        amountText.isEmpty
        ? 0
        : try Money.parse(amountText, currency: currency, language: l, field: m.fieldName("amount"))
          .minor
      let prepayText = form.value("prepay").replacingOccurrences(of: "%", with: "").trimmingSpaces()
      guard let prepay = prepayText.isEmpty ? 0 : Int(prepayText) else {
        form.setError("prepay", l.pick("a percent, 0–100", "процент, 0–100"))
        return false
      }
      let daysText = form.value("payment_days").trimmingSpaces()
      let days = Int(daysText)
      if !daysText.isEmpty && days == nil {
        form.setError("payment_days", l.pick("a number of days", "число дней"))
        return false
      }
      let contract = Contract(
        clientId: clientId, number: form.value("number"), date: form.value("date"),
        kind: try ContractKind.parse(form.value("kind"), language: l, field: m.fieldName("kind")),
        subject: form.value("subject"), amount: amount, currency: currency.code,
        rate: try MoneyService.parseRate(
          form.value("rate"), language: l, field: m.fieldName("rate")),
        prepayPercent: prepay, paymentDays: days)
      let id = try m.addContract(contract)
      app.flash(
        l.pick("Contract № ", "Договор № ") + contract.number.trimmingSpaces()
          + l.pick(" added.", " добавлен."))
      onSaved(id)
      return true
    }
  }
}

/// An act for a contract: its sum, the period of the services and its day.
@MainActor
final class ActFormScreen: FormScreen {
  let contract: Contract
  let onSaved: (Int64) -> Void

  init(
    tab: Int, context: AppContext, contract: Contract, form: Form,
    onSaved: @escaping (Int64) -> Void
  ) {
    self.contract = contract
    self.onSaved = onSaved
    super.init(context: context, form: form, tab: tab)
  }

  static func make(
    tab: Int, context: AppContext, contract row: ContractRow, onSaved: @escaping (Int64) -> Void
  ) -> ActFormScreen {
    let l = context.language
    let m = context.money
    let c = row.contract
    let left = max(0, max(c.amount, row.summary.invoiced) - row.summary.acted)
    let form = Form(
      title: l.pick("Act for contract № ", "Акт по договору № ") + c.number,
      fields: [
        FormField(
          key: "sum", label: m.fieldName("sum"),
          value: left > 0 ? MoneyText.input(Money(minor: left, currency: c.money), l) : "",
          note: l.pick("1000, 12 500.50", "1000, 12 500,50")),
        FormField(
          key: "period", label: m.fieldName("period"),
          note: l.pick("01.11.2026..30.11.2026; empty: none", "01.11.2026..30.11.2026; пусто — без")
        ),
        FormField(
          key: "date", label: m.fieldName("date"), note: l.pick("empty: today", "пусто — сегодня")),
      ])
    return ActFormScreen(tab: tab, context: context, contract: c, form: form, onSaved: onSaved)
  }

  override func submit(app: App) -> Bool {
    let m = context.money
    let sum = form.value("sum").trimmingSpaces()
    if sum.isEmpty {
      form.setError("sum", l.pick("is empty", "пусто"))
      return false
    }
    do {
      let (from, to) = try m.period(form.value("period"))
      let id = try m.addAct(
        DocumentDraft(
          contractId: contract.id, date: form.value("date"), periodFrom: from, periodTo: to,
          lines: [DocumentDraft.sumLine(sum)]))
      let act = try m.act(id)?.act
      app.flash(
        l.pick("Act № ", "Акт № ") + (act?.number ?? "")
          + (act.map { " · " + MoneyText.amount($0.total, $0.money, l) } ?? "")
          + l.pick(" created.", " создан."))
      onSaved(id)
      return true
    } catch {
      let o = context.core.offers
      show(
        error, app: app,
        aliases: [
          o.fieldName("price"): "sum", m.fieldName("period_from"): "period",
          m.fieldName("period_to"): "period",
        ])
      return false
    }
  }
}

/// The money actions of the client card and the invoice view.
@MainActor
enum MoneyFlows {
  static func requireUser(_ context: AppContext, _ app: App) -> Bool {
    guard context.user != nil else {
      app.flash(context.language.pick("No acting user.", "Нет пользователя."), error: true)
      return false
    }
    return true
  }

  /// `i`: the contract (when the client has any in force) or none, then the invoice form.
  static func newInvoice(
    clientId: Int64, name: String, preselect: Int64?, tab: Int, context: AppContext, app: App,
    changed: @escaping (Int64) -> Void
  ) {
    guard requireUser(context, app) else { return }
    let l = context.language
    let open: [ContractRow]
    do {
      open = try context.money.contracts(clientId: clientId).filter {
        $0.contract.status == .active || $0.contract.status == .draft
      }
    } catch {
      app.report(error)
      return
    }
    func form(_ row: ContractRow?) -> InvoiceFormScreen {
      InvoiceFormScreen.make(
        tab: tab, context: context, clientId: clientId, clientName: name, contract: row,
        onSaved: changed)
    }
    if open.isEmpty {
      app.push(form(nil))
      return
    }
    var ordered = open
    if let p = preselect, let i = ordered.firstIndex(where: { $0.id == p }) {
      ordered.insert(ordered.remove(at: i), at: 0)
    }
    var items = ordered.map { r in
      PickItem(
        key: "\(r.id)", label: l.pick("contract № ", "договор № ") + r.contract.number,
        detail: MoneyText.day(r.contract.date, l) + " · "
          + MoneyText.amount(r.contract.amount, r.contract.money, l)
          + (r.contract.subject.isEmpty ? "" : " · " + r.contract.subject))
    }
    items.append(PickItem(key: "", label: l.pick("no contract", "без договора")))
    app.push(
      PickerScreen.fixed(
        tab: tab, context: context, title: l.pick("New invoice: ", "Новый счёт: ") + name,
        prompt: l.pick(
          "On which contract? Enter picks; letters filter.",
          "По какому договору? Enter — выбрать, буквы — фильтр."), items: items,
        cancelMessage: l.pick("No invoice issued.", "Счёт не выставлен.")
      ) { item, app in
        app.push(form(open.first { "\($0.id)" == item.key }))
      })
  }

  static func newPayment(
    clientId: Int64, name: String, invoice: Invoice? = nil, tab: Int, context: AppContext,
    app: App, changed: @escaping (Int64) -> Void
  ) {
    guard requireUser(context, app) else { return }
    app.push(
      PaymentFormScreen.make(
        tab: tab, context: context, clientId: clientId, clientName: name, invoice: invoice,
        onSaved: changed))
  }

  static func newContract(
    clientId: Int64, name: String, tab: Int, context: AppContext, app: App,
    changed: @escaping (Int64) -> Void
  ) {
    guard requireUser(context, app) else { return }
    app.push(
      ContractFormScreen.make(
        tab: tab, context: context, clientId: clientId, clientName: name, onSaved: changed))
  }

  /// `A` on an invoice: asks, then an act with the invoice's lines.
  static func act(
    from invoice: Invoice, context: AppContext, app: App, changed: @escaping (Int64) -> Void
  ) {
    guard requireUser(context, app) else { return }
    let l = context.language
    guard invoice.stored != .cancelled else {
      app.flash(l.pick("The invoice is cancelled.", "Счёт отменён."), error: true)
      return
    }
    app.ask(
      l.pick("Act", "Акт"),
      l.pick(
        "An act from invoice № \(invoice.number) for \(MoneyText.amount(invoice.total, invoice.money, l))?",
        "Акт по счёту № \(invoice.number) на \(MoneyText.amount(invoice.total, invoice.money, l))?")
    ) {
      do {
        let id = try context.money.addAct(DocumentDraft(invoiceId: invoice.id))
        let number = try context.money.act(id)?.act.number ?? ""
        app.flash(l.pick("Act № \(number) created.", "Акт № \(number) создан."))
        changed(id)
      } catch { app.report(error) }
    }
  }

  static func act(
    for contract: ContractRow, tab: Int, context: AppContext, app: App,
    changed: @escaping (Int64) -> Void
  ) {
    guard requireUser(context, app) else { return }
    if contract.contract.status == .cancelled {
      app.flash(
        context.language.pick("The contract is cancelled.", "Договор расторгнут."), error: true)
      return
    }
    app.push(ActFormScreen.make(tab: tab, context: context, contract: contract, onSaved: changed))
  }

  static func cancel(
    invoice: Invoice, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    let l = context.language
    guard invoice.stored != .cancelled else {
      app.flash(l.pick("Already cancelled.", "Уже отменён."))
      return
    }
    app.ask(
      l.pick("Cancel the invoice", "Отмена счёта"),
      l.pick(
        "Cancel invoice № \(invoice.number) for \(MoneyText.amount(invoice.total, invoice.money, l))?",
        "Отменить счёт № \(invoice.number) на \(MoneyText.amount(invoice.total, invoice.money, l))?"
      )
    ) {
      do {
        try context.money.cancelInvoice(invoice.id ?? 0)
        app.flash(
          l.pick("Invoice № \(invoice.number) cancelled.", "Счёт № \(invoice.number) отменён."))
        changed()
      } catch { app.report(error) }
    }
  }

  static func cancel(act: Act, context: AppContext, app: App, changed: @escaping () -> Void) {
    let l = context.language
    guard !act.cancelled else {
      app.flash(l.pick("Already cancelled.", "Уже отменён."))
      return
    }
    let exported =
      act.exportId != nil
      ? l.pick(" It was exported: cancel it in 1C too.", " Он уже выгружен: отмените его и в 1С.")
      : ""
    app.ask(
      l.pick("Cancel the act", "Отмена акта"),
      l.pick(
        "Cancel act № \(act.number) for \(MoneyText.amount(act.total, act.money, l))?",
        "Отменить акт № \(act.number) на \(MoneyText.amount(act.total, act.money, l))?")
    ) {
      do {
        try context.money.cancelAct(act.id ?? 0)
        app.flash(
          l.pick("Act № \(act.number) cancelled.", "Акт № \(act.number) отменён.") + exported)
        changed()
      } catch { app.report(error) }
    }
  }
}
