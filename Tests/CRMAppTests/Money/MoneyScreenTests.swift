import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// An app at Monday 2026-11-23 12:00 UTC with anna acting and her client ООО «Вектор»
/// (ИНН 5001999994); `statement` is what the reconciliation's loader returns for any path but
/// «missing.txt».
@MainActor
struct MoneyScreenFixture {
  let app: App
  let term: MemoryTerminal
  let db: CRMDatabase
  let clock: HandClock
  let money: MoneyService
  let clients: ClientService
  let me: Int64
  let vector: Int64

  init(
    rows: Int = 24, cols: Int = 80, lang: Language = .ru,
    statement: LoadedStatement? = nil, acts: [AccountingAct]? = nil
  ) throws {
    clock = HandClock(noon)
    db = try CRMDatabase(memory: clock)
    let user = try #require(try db.user(login: "anna"))
    me = user.id
    var context = AppContext(db: db, user: user, language: lang, timeZone: utc)
    if let statement {
      context.loadStatement = { path in
        if path == "missing.txt" {
          throw CRMError.unreadable(path: path, reason: "no such file")
        }
        return statement
      }
    }
    if let acts { context.loadActs = { _ in acts } }
    term = MemoryTerminal(rows: rows, cols: cols)
    app = App(term: term, context: context)
    money = context.money
    clients = context.clients
    vector = try clients.add(
      Client(name: "Вектор", legalForm: "ООО", inn: "5001999994", kpp: "500101001"))
  }

  func press(_ keys: Key...) {
    for k in keys { app.handle(k) }
    app.render()
  }

  func type(_ text: String) {
    for ch in text { app.handle(.char(ch)) }
    app.render()
  }

  var text: String { term.text }

  @discardableResult
  func invoice(
    _ sum: String, number: String = "", date: String = "2026-11-10", due: String = "",
    contract: Int64? = nil, deal: Int64? = nil, client: Int64? = nil
  ) throws -> Int64 {
    try money.addInvoice(
      DocumentDraft(
        clientId: contract == nil ? (client ?? vector) : nil, contractId: contract, dealId: deal,
        number: number, date: date, due: due, lines: [DocumentDraft.sumLine(sum)]))
  }

  /// The client list → the card → its Money section.
  func openMoney() {
    (app.current as! ClientsScreen).reload()
    press(.enter)
    for _ in 0..<5 { press(.tab) }
  }

  var card: ClientCardScreen? { app.current as? ClientCardScreen }

  func record(
    line: Int, number: String, date: String, amount: Int64, inn: String = "5001999994",
    purpose: String = ""
  ) -> BankPaymentRecord {
    BankPaymentRecord(
      line: line, number: number, date: date, amount: amount, payerName: "ООО \"Альфа\"",
      payerINN: inn, payerKPP: "", payerAccount: "40702810001230000777",
      account: "40702810938000012345", purpose: purpose)
  }
}

@MainActor
@Suite struct MoneyScreenTests {
  @Test func theMoneySectionShowsTheSummaryAndEveryDocument() throws {
    let f = try MoneyScreenFixture()
    let k = try f.money.addContract(
      Contract(
        clientId: f.vector, number: "7/25", date: "2026-06-01", subject: "Поставка",
        amount: 500_000_00, prepayPercent: 30, paymentDays: 10))
    // № 1 on the contract: due 2026-11-20, overdue; № 2 without: partly paid.
    let overdue = try f.invoice("120000", contract: k)
    let partly = try f.invoice("10000", date: "2026-11-20", due: "2026-12-01")
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 4000_00), invoiceId: partly)
    _ = try f.money.addPayment(
      Payment(clientId: f.vector, source: .cash, managementOnly: true, amount: 5000_00))
    _ = try f.money.addAct(DocumentDraft(invoiceId: partly, date: "2026-11-21"))
    f.openMoney()
    #expect(f.card?.section == .money)
    let t = f.text
    #expect(f.term.line(2).contains(" Деньги"))
    #expect(t.contains("Договоры 500\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Выставлено 130\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Оплачено 9\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Долг 126\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Просрочено 120\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Упр. нал. 5\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Не распределено 5\u{00A0}000\u{00A0}₽"))
    #expect(f.term.style(of: "120\u{00A0}000\u{00A0}₽ ·")?.color == .red)
    // Contracts, invoices (statuses), payments (sources), acts (exported or not).
    #expect(t.contains("Договоры (1)"))
    #expect(t.contains("№ 7/25"))
    #expect(t.contains("письменный · действует"))
    #expect(t.contains("Счета (2)"))
    #expect(t.contains("просрочен +3 дн"))
    #expect(t.contains("оплачен частично"))
    #expect(t.contains("Платежи (2)"))
    #expect(t.contains("упр."))
    #expect(t.contains("не распределено 5\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("Акты (1)"))
    #expect(t.contains("не выгружен"))
    // The overdue invoice's row is red and bold, like a stuck deal.
    let row = try #require(f.term.row(containing: "просрочен +3 дн"))
    let style = f.term.frame[row, 0].style
    #expect(style.color == .red && style.bold)
    #expect(overdue > 0)
    // j moves over documents only: from the contract to invoice № 2 (the newest), then № 1;
    // k goes back over the title to the contract.
    #expect(f.card?.money.selectedContract?.id == k)
    f.press(.char("j"))
    #expect(f.card?.money.selectedInvoice?.id == partly)
    f.press(.char("j"))
    #expect(f.card?.money.selectedInvoice?.id == overdue)
    f.press(.char("k"), .char("k"))
    #expect(f.card?.money.selectedContract?.id == k)
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
  }

  @Test func anInvoiceAndAPaymentFromTheKeyboardChangeTheNumbers() throws {
    let f = try MoneyScreenFixture()
    f.openMoney()
    #expect(f.text.contains("Денег пока нет"))
    // i: no contracts, so the form at once; the sum is all it needs.
    f.press(.char("i"))
    #expect(f.app.current is InvoiceFormScreen)
    #expect(f.text.contains("Новый счёт: ООО «Вектор» · без договора"))
    f.type("10 000")
    f.press(.ctrl("s"))
    #expect(f.card != nil)
    #expect(f.text.contains("Счёт № 1 выставлен · 10\u{00A0}000\u{00A0}₽, оплатить до 28.11.2026."))
    #expect(f.text.contains("Выставлено 10\u{00A0}000\u{00A0}₽"))
    #expect(f.text.contains("Долг 10\u{00A0}000\u{00A0}₽"))
    let inv = try #require(f.card?.money.selectedInvoice)
    #expect(inv.invoice.total == 10_000_00)
    // $: the amount owed and the invoice are filled in; cash by default.
    f.press(.char("$"))
    #expect(f.app.current is PaymentFormScreen)
    #expect(f.text.contains("Неоплаченные: № 1 — 10\u{00A0}000\u{00A0}₽ до 28.11.2026"))
    f.press(.ctrl("u"))
    f.type("4000")
    f.press(.ctrl("s"))
    #expect(
      f.text.contains("Оплата 4\u{00A0}000\u{00A0}₽ записана; на счёт № 1: 4\u{00A0}000\u{00A0}₽."))
    #expect(f.text.contains("Оплачено 4\u{00A0}000\u{00A0}₽"))
    #expect(f.text.contains("Долг 6\u{00A0}000\u{00A0}₽"))
    #expect(f.text.contains("оплачен частично"))
    let payment = try #require(try f.money.payments(clientId: f.vector).first).payment
    #expect(payment.source == .cash && payment.allocated == 4000_00)
    #expect(try f.money.invoice(inv.id)?.invoice.paid == 4000_00)
    // ; is $ in the Russian layout; a bad sum keeps the form open with the field marked.
    f.press(.char(";"))
    #expect(f.app.current is PaymentFormScreen)
    f.press(.ctrl("u"))
    f.type("много")
    f.press(.ctrl("s"))
    #expect(f.app.current is PaymentFormScreen)
    #expect(f.text.contains("не удаётся прочитать «много» как сумму"))
    f.press(.escape, .char("y"))
    // K adds a contract; i then asks for the contract and suggests its prepayment.
    f.press(.char("K"))
    #expect(f.text.contains("Новый договор: ООО «Вектор»"))
    f.type("7/25")
    f.press(.tab, .tab, .tab)
    f.type("300000")
    f.press(.tab, .tab, .tab)
    f.type("30")
    f.press(.tab)
    f.type("10")
    f.press(.ctrl("s"))
    #expect(f.text.contains("Договор № 7/25 добавлен."))
    #expect(f.text.contains("Договоры 300\u{00A0}000\u{00A0}₽"))
    f.press(.char("i"))
    #expect(f.text.contains("По какому договору?"))
    #expect(f.text.contains("договор № 7/25"))
    #expect(f.text.contains("без договора"))
    f.press(.enter)
    #expect(f.text.contains("Новый счёт: ООО «Вектор» · договор № 7/25"))
    #expect((f.app.current as? InvoiceFormScreen)?.form.value("sum") == "90 000,00")
    f.press(.ctrl("s"))
    #expect(f.text.contains("Счёт № 2 выставлен · 90\u{00A0}000\u{00A0}₽, оплатить до 03.12.2026."))
    #expect(f.text.contains("Выставлено 100\u{00A0}000\u{00A0}₽"))
    #expect(try f.money.contracts(clientId: f.vector).first?.summary.invoiced == 90_000_00)
  }

  @Test func cancelAsksFirstAndActsComeFromTheSelectedInvoice() throws {
    let f = try MoneyScreenFixture()
    let paid = try f.invoice("500", number: "5")
    let open = try f.invoice("700", number: "6", date: "2026-11-12")
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 500_00), invoiceId: paid)
    f.openMoney()
    // Newest first: № 6, then № 5.
    #expect(f.card?.money.selectedInvoice?.id == open)
    f.press(.char("c"))
    #expect(f.text.contains("Отменить счёт № 6 на 700\u{00A0}₽?"))
    f.press(.char("n"))
    #expect(try f.money.invoice(open)?.invoice.stored == .issued)
    f.press(.char("c"), .char("y"))
    #expect(try f.money.invoice(open)?.invoice.stored == .cancelled)
    #expect(f.text.contains("Счёт № 6 отменён."))
    #expect(f.text.contains("отменён"))
    // A paid invoice is not cancelled: its payment would be lost.
    f.press(.char("j"))
    #expect(f.card?.money.selectedInvoice?.id == paid)
    f.press(.char("c"), .char("y"))
    #expect(f.text.contains("сначала снимите их"))
    #expect(try f.money.invoice(paid)?.invoice.stored == .issued)
    // A: an act from the selected invoice, after a question.
    f.press(.char("A"))
    #expect(f.text.contains("Акт по счёту № 5 на 500\u{00A0}₽?"))
    f.press(.char("y"))
    #expect(f.text.contains("Акт № 1 создан."))
    #expect(f.text.contains("Акты (1)"))
    #expect(f.text.contains("не выгружен · счёт № 5"))
    // c on the act cancels it, after asking.
    f.press(.char("G"))
    #expect(f.card?.money.selectedAct != nil)
    f.press(.char("c"))
    #expect(f.text.contains("Отменить акт № 1 на 500\u{00A0}₽?"))
    f.press(.char("y"))
    #expect(try f.money.acts(clientId: f.vector).first?.act.cancelled == true)
    // On a payment c says where it works; on a cancelled invoice, that it is.
    f.press(.char("k"), .char("c"))
    #expect(f.text.contains("Выберите счёт или акт"))
    f.press(.char("g"), .char("c"))
    #expect(f.text.contains("Уже отменён."))
  }

  @Test func enterOpensTheInvoiceWithLinesTotalsAndPayments() throws {
    let f = try MoneyScreenFixture()
    let inv = try f.invoice("1200", number: "12", due: "2026-11-30")
    _ = try f.money.addPayment(
      Payment(clientId: f.vector, source: .bank, date: "2026-11-15", amount: 200_00, number: "88"),
      invoiceId: inv)
    f.openMoney()
    f.press(.enter)
    #expect(f.app.current is InvoiceScreen)
    let t = f.text
    #expect(t.contains("Счёт № 12 от 10.11.2026 · 1\u{00A0}200\u{00A0}₽"))
    #expect(t.contains("оплачен частично"))
    #expect(t.contains("Оплата"))
    #expect(t.contains("в т. ч. НДС 22 %"))
    #expect(t.contains("Всего"))
    #expect(t.contains("Оплаты (1)"))
    #expect(t.contains("15.11.2026 банк  № 88"))
    #expect(t.contains("Долг"))
    // $ pays the rest of this invoice.
    f.press(.char("$"))
    #expect((f.app.current as? PaymentFormScreen)?.form.value("amount") == "1 000,00")
    f.press(.ctrl("s"))
    #expect(f.app.current is InvoiceScreen)
    #expect(f.text.contains("оплачен"))
    #expect(try f.money.invoice(inv)?.invoice.paid == 1200_00)
    f.press(.char("q"))
    #expect(f.card != nil)
  }

  @Test func theBankQueueAssignsAPaymentToATypedClientAndItsInvoice() throws {
    let f = try MoneyScreenFixture()
    let inv = try f.invoice("500", number: "31")
    _ = try f.invoice("800", number: "32")
    let report = try f.money.importBank(
      [
        f.record(
          line: 1, number: "7", date: "2026-11-20", amount: 500_00, inn: "7702070139",
          purpose: "Оплата за услуги по счёту № 31 без НДС"),
        f.record(line: 2, number: "8", date: "2026-11-21", amount: 3_00, inn: ""),
      ], file: "f", encoding: "utf8")
    #expect(report.queued == 2)
    f.press(.char("6"))
    #expect(f.term.line(2).contains("Банк: 2 в очереди [b]"))
    f.press(.char("b"))
    #expect(f.app.current is BankQueueScreen)
    var t = f.text
    #expect(t.contains("Очередь банка · ждут менеджера: 2"))
    #expect(t.contains("20.11.2026"))
    #expect(t.contains("ООО \"Альфа\""))
    #expect(t.contains("7702070139"))
    #expect(t.contains("500\u{00A0}₽"))
    #expect(t.contains("Оплата за услуги"))
    #expect(t.contains("Причина"))
    #expect(t.contains("нет клиента с ИНН 7702070139"))
    // Enter: the client by typing its name, then the invoice (the one of this sum first).
    f.press(.enter)
    #expect(f.text.contains("Чей платёж: 500\u{00A0}₽ от ООО \"Альфа\""))
    f.type("вект")
    f.press(.enter)
    t = f.text
    #expect(t.contains("какой счёт оплачивают 500\u{00A0}₽?"))
    #expect(t.contains("счёт № 31"))
    #expect(t.contains("счёт № 32"))
    #expect(t.contains("без счёта"))
    f.press(.enter)
    #expect(f.app.current is BankQueueScreen)
    #expect(f.text.contains("Привязан к ООО «Вектор», счёт № 31; u — отмена."))
    let p = try #require(try f.money.payments(clientId: f.vector).first).payment
    #expect(p.state == .assigned && p.allocated == 500_00)
    #expect(try f.money.invoice(inv)?.invoice.paid == 500_00)
    #expect(try f.money.queueCount() == 1)
    #expect(f.text.contains("ждут менеджера: 1"))
    // u puts it back; assigning again without an invoice leaves it unallocated.
    f.press(.char("u"))
    #expect(f.text.contains("Платёж снова в очереди."))
    #expect(try f.money.queueCount() == 2)
    #expect(try f.money.invoice(inv)?.invoice.paid == 0)
    // x sets the other one aside: it leaves the queue, u brings it back, x again.
    f.press(.char("j"), .char("x"))
    #expect(f.text.contains("отложен; u — отменить"))
    #expect(try f.money.queueCount() == 1)
    f.press(.char("u"))
    #expect(try f.money.queueCount() == 2)
    f.press(.char("x"))
    let ignored = try f.money.payments(state: .ignored)
    #expect(ignored.count == 1 && ignored[0].payment.amount == 3_00)
    #expect(!f.text.contains("21.11.2026"))
    // The last one to the client with no invoice.
    f.press(.char("g"), .enter)
    f.type("вект")
    f.press(.enter)
    f.type("без")
    f.press(.enter)
    #expect(try f.money.queueCount() == 0)
    #expect(try f.money.payments(clientId: f.vector).first?.payment.allocated == 0)
    #expect(f.text.contains("Очередь пуста"))
    f.press(.char("q"))
    #expect(f.app.current is ReportsScreen)
    #expect(!f.term.line(2).contains("в очереди"))
  }

  @Test func reconciliationShowsEveryKindFromAHandMadeStatement() throws {
    // The CRM's side: four bank payments, an act never exported, management-only cash.
    let seed = try MoneyScreenFixture()
    let a = seed.record(line: 1, number: "417", date: "2026-11-20", amount: 120_000_00)
    let b = seed.record(line: 2, number: "418", date: "2026-11-21", amount: 5000_00)
    let c = seed.record(line: 3, number: "419", date: "2026-11-22", amount: 700_00)
    let d = seed.record(line: 4, number: "420", date: "2026-11-23", amount: 300_00)
    let statement = LoadedStatement(
      payments: [
        AccountingPayment(a),
        AccountingPayment(
          line: 20, number: "418", date: "2026-11-21", amount: 5500_00, payerINN: "5001999994",
          payerName: "ООО \"Альфа\"", key: "other"),
        AccountingPayment(
          line: 30, number: "419", date: "2026-11-24", amount: 700_00, payerINN: "5001999994",
          payerName: "ООО \"Альфа\"", key: c.key),
        AccountingPayment(
          line: 40, number: "500", date: "2026-11-25", amount: 999_00, payerINN: "7702070139",
          payerName: "ИП Сидоров", key: "only-accounting"),
      ], from: "2026-11-01", to: "2026-11-30", accounts: [])
    let f = try MoneyScreenFixture(statement: statement)
    _ = try f.money.importBank([a, b, c, d], file: "crm", encoding: "utf8")
    let inv = try f.invoice("1500", number: "40", date: "2026-11-05")
    _ = try f.money.addAct(DocumentDraft(invoiceId: inv, date: "2026-11-06"))
    _ = try f.money.addPayment(
      Payment(
        clientId: f.vector, source: .cash, managementOnly: true, date: "2026-11-15",
        amount: 2000_00))
    f.press(.char("6"), .char("s"))
    #expect(f.app.current is ReconcileFormScreen)
    #expect(f.text.contains("Сверка с учётом"))
    // A file the loader cannot read: the form stays, the field says why.
    f.type("missing.txt")
    f.press(.ctrl("s"))
    #expect(f.app.current is ReconcileFormScreen)
    #expect(f.text.contains("не удаётся открыть missing.txt: no such file"))
    f.press(.ctrl("u"))
    f.type("kl_to_1c.txt")
    f.press(.ctrl("s"))
    let screen = try #require(f.app.current as? ReconciliationScreen)
    #expect(screen.report.count(.matched, .payment) == 1)
    var t = f.text
    #expect(t.contains("Сверка · 01.11.2026 – 30.11.2026 · есть расхождения"))
    #expect(t.contains("kl_to_1c.txt"))
    for kind in ["совпадает", "только в CRM", "только в учёте", "другая сумма", "другая дата"] {
      #expect(t.contains(kind), "\(kind)")
    }
    #expect(t.contains("Акты сравнены с выгрузками из CRM"))
    #expect(t.contains("Расхождения (5)"))
    // Differences first, each with both sides and the difference.
    #expect(t.contains("только в учёте  платёж № 500  ИП Сидоров (7702070139)"))
    #expect(f.term.style(of: "только в учёте  платёж")?.color == .red)
    // Scroll to the rest: the amount that differs, the act never exported, the clients, cash.
    f.press(.pageDown)
    t = f.text
    f.press(.pageDown)
    t += f.text
    f.press(.char("G"))
    t += f.text
    #expect(t.contains("21.11.2026     5\u{00A0}000,00\u{00A0}₽   21.11.2026     5\u{00A0}500,00"))
    #expect(t.contains("5\u{00A0}500,00\u{00A0}₽       -500,00\u{00A0}₽"))
    #expect(t.contains("акт № 1  не выгружался  ООО «Вектор»"))
    #expect(t.contains("Платежи по клиентам"))
    #expect(t.contains("Управленческий учёт"))
    #expect(t.contains("15.11.2026  ООО «Вектор»"))
    #expect(t.contains("2\u{00A0}000\u{00A0}₽"))
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
    // q back to the reports; s again offers the same file.
    f.press(.char("q"))
    #expect(f.app.current is ReportsScreen)
    f.press(.char("s"))
    #expect((f.app.current as? ReconcileFormScreen)?.form.value("statement") == "kl_to_1c.txt")
  }

  @Test func withoutAStatementReaderTheFormSaysSo() throws {
    let f = try MoneyScreenFixture()
    f.press(.char("6"), .char("s"))
    #expect(f.text.contains("Эта сборка пока не умеет читать выписки банка."))
    f.type("x.txt")
    f.press(.ctrl("s"))
    #expect(f.app.current is ReconcileFormScreen)
    f.press(.escape, .char("y"))
    #expect(f.text.contains("Сверка не выполнена."))
  }

  @Test func remindersListOverdueInvoicesAndEnterOpensTheMoney() throws {
    let f = try MoneyScreenFixture()
    let inv = try f.invoice("120000", number: "12", due: "2026-11-18")
    _ = try f.invoice("500", number: "13", due: "2026-12-18")
    // Another manager's client: not in «mine».
    let boris = try #require(try f.db.user(login: "boris")).id
    let other = try f.clients.add(Client(name: "Чужой", ownerId: boris))
    _ = try f.invoice("700", number: "14", date: "2026-10-20", due: "2026-11-01", client: other)
    f.press(.char("3"))
    var t = f.text
    #expect(t.contains("счета: 1"))
    #expect(t.contains("Просроченные счета (1) — долг 120\u{00A0}000\u{00A0}₽"))
    #expect(t.contains("+5 дн."))
    #expect(t.contains("№ 12"))
    #expect(t.contains("долг 120\u{00A0}000\u{00A0}₽"))
    #expect(!t.contains("Чужой"))
    #expect(f.term.style(of: "+5 дн.")?.color == .red)
    // Everyone's: the other one too, with its owner.
    f.press(.char("a"))
    t = f.text
    #expect(t.contains("Просроченные счета (2)"))
    #expect(t.contains("Чужой"))
    f.press(.char("a"))
    // Enter opens the client's card on Money with the invoice selected.
    f.press(.enter)
    let card = try #require(f.card)
    #expect(card.section == .money)
    #expect(card.money.selectedInvoice?.id == inv)
    #expect(f.text.contains("просрочен +5 дн"))
    // The pane's line.
    let line = try OverdueInvoices.read(f.money, scope: .user(f.me)).line(.ru)
    #expect(line == "Просроченные счета: 1 · долг 120\u{00A0}000\u{00A0}₽")
    var canvas = Canvas(size: Size(rows: 6, cols: 60))
    PaneView(language: .ru, timeZone: utc).draw(
      PaneModel(
        reminders: [], overdue: 0, dueToday: 0, losingTouch: 0, now: noon,
        invoices: try OverdueInvoices.read(f.money, scope: .user(f.me))), into: &canvas)
    #expect(canvas.line(5).hasPrefix("Просроченные счета: 1"))
  }

  @Test func theDealCardHasAMoneyLineAndFunnelCardsAPaidMarker() throws {
    let f = try MoneyScreenFixture()
    let deals = DealService(db: f.db, userId: f.me, language: .ru, timeZone: utc)
    let deal = try deals.add(Deal(clientId: f.vector, title: "Поставка", amount: 1000_00))
    let inv = try f.invoice("1000", due: "2026-12-01", deal: deal)
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 400_00), invoiceId: inv)
    _ = try deals.add(Deal(clientId: f.vector, title: "Без денег", amount: 50_00))
    f.press(.char("4"))
    let funnel = try #require(f.app.roots[4] as? FunnelScreen)
    #expect(funnel.money.keys.sorted() == [deal])
    // The deal moved to «Счёт выставлен»; its card there says 40 % paid.
    for _ in 0..<10 where funnel.selectedCard?.id != deal { f.press(.char("l")) }
    #expect(funnel.selectedCard?.id == deal)
    #expect(f.text.contains("₽\u{00A0}40%"))
    #expect(f.term.style(of: "₽\u{00A0}40%")?.color == .yellow)
    #expect(f.term.style(of: "₽\u{00A0}40%")?.reverse == true)
    // Open the invoiced deal's card.
    f.press(.enter)
    #expect(f.app.current is DealCardScreen)
    #expect(f.text.contains("Деньги "))
    #expect(
      f.text.contains(
        "Выставлено 1\u{00A0}000\u{00A0}₽ · Оплачено 400\u{00A0}₽ · Долг 600\u{00A0}₽"))
  }

  @Test func emptyDatabaseAndSmallTerminalsDoNotCrash() throws {
    let f = try MoneyScreenFixture()
    f.openMoney()
    #expect(f.text.contains("Денег пока нет"))
    #expect(f.text.contains("нет; i — выставить"))
    for r in 0..<24 { #expect(TextWidth.of(f.term.line(r)) == 80) }
    // c and A without a document say what to select.
    f.press(.char("A"))
    #expect(f.text.contains("Выберите счёт или договор"))
    f.press(.char("q"), .char("6"), .char("b"))
    #expect(f.text.contains("Очередь пуста"))
    f.press(.char("x"), .char("u"), .enter)
    #expect(f.text.contains("Нечего отменять.") || f.app.current is BankQueueScreen)
    f.press(.char("q"), .char("3"))
    #expect(f.text.contains("Ни просроченных"))
    // 20×10: the app says the window is small; the screens draw into any size.
    f.term.resize(rows: 10, cols: 20)
    f.press(f.term.readKey()!)
    #expect(f.text.contains("Окно терминала"))
    f.term.resize(rows: 24, cols: 80)
    f.press(f.term.readKey()!)
    // Every new screen, with data, into tiny and odd canvases.
    let k = try f.money.addContract(Contract(clientId: f.vector, number: "1", amount: 100_00))
    let inv = try f.invoice("100", contract: k)
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 50_00), invoiceId: inv)
    _ = try f.money.importBank(
      [f.record(line: 1, number: "1", date: "2026-11-20", amount: 1_00, inn: "7702070139")],
      file: "f", encoding: "utf8")
    let card = ClientCardScreen(
      context: f.app.context, clientId: f.vector, list: nil, section: .money)
    let report = try f.money.reconcile(bank: [], from: "2026-11-01", to: "2026-11-30")
    let screens: [any Screen] = [
      card, InvoiceScreen(context: f.app.context, invoiceId: inv, tab: 1),
      BankQueueScreen(context: f.app.context),
      ReconciliationScreen(context: f.app.context, report: report, file: "f.txt"),
      RemindersScreen(context: f.app.context),
      InvoiceFormScreen.make(
        tab: 1, context: f.app.context, clientId: f.vector, clientName: "Вектор", contract: nil
      ) { _ in },
    ]
    for screen in screens {
      for rows in [0, 1, 2, 5, 8, 9, 10, 14] {
        for cols in [0, 1, 3, 10, 20, 25, 50, 80] {
          var canvas = Canvas(size: Size(rows: rows + 1, cols: cols))
          screen.draw(&canvas, top: 1, rows: rows, width: cols)
        }
      }
    }
  }
}
