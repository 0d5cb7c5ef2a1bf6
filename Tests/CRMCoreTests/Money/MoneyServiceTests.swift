import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

/// Clients with requisites, and a money service at 2026-11-23 (Monday) in Moscow.
struct MoneyFixture {
  let base: ContactFixture
  let money: MoneyService
  let vector: Int64  // ИНН 5001999994, КПП 500101001 (the sample statement's payer)
  let sber: Int64  // ИНН 7707083893

  init() throws {
    base = try ContactFixture()
    money = MoneyService(db: base.db, userId: base.anna, language: .en, timeZone: moscow)
    vector = try base.clients.add(
      Client(
        name: "Вектор", legalForm: "ООО", inn: "5001999994", kpp: "500101001", ownerId: base.anna))
    sber = try base.clients.add(
      Client(
        name: "Сбер", legalForm: "ПАО", inn: "7707083893", kpp: "773601001", ownerId: base.boris))
  }

  var db: CRMDatabase { base.db }
  func days(_ n: Double) { base.clock.current = base.clock.current.addingTimeInterval(n * 86400) }

  func invoice(
    _ client: Int64? = nil, contract: Int64? = nil, sum: String, number: String = "",
    date: String = "", due: String = "", deal: Int64? = nil
  ) throws -> Int64 {
    try money.addInvoice(
      DocumentDraft(
        clientId: client, contractId: contract, dealId: deal, number: number, date: date, due: due,
        lines: [DocumentDraft.sumLine(sum)]))
  }

  func record(
    line: Int = 20, number: String = "417", date: String = "2026-11-20", amount: Int64,
    inn: String = "5001999994", kpp: String = "500101001", purpose: String = "",
    incoming: Bool = true, account: String = "40702810938000012345"
  ) -> BankPaymentRecord {
    BankPaymentRecord(
      line: line, number: number, date: date, amount: amount, payerName: "ООО \"Вектор\"",
      payerINN: inn, payerKPP: kpp, payerAccount: "40702810001230000777", account: account,
      purpose: purpose, incoming: incoming)
  }

  func count(_ table: String) throws -> Int {
    try db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
  }
}

@Suite struct MoneyServiceTests {
  @Test func requisitesOfTheFixtureAreValid() {
    #expect(Requisites.isValidINN("5001999994"))
    #expect(Requisites.isValidINN("7707083893"))
  }

  @Test func contractsAreNumberedPerClientAndShowTheirMoney() throws {
    let f = try MoneyFixture()
    let k = try f.money.addContract(
      Contract(
        clientId: f.vector, number: "7/25", date: "01.06.2026", amount: 500_000_00,
        prepayPercent: 30, paymentDays: 10))
    // The same number for the same client is refused, for another client it is fine.
    #expect(throws: CRMError.self) {
      try f.money.addContract(Contract(clientId: f.vector, number: "№ 7 / 25", amount: 1))
    }
    _ = try f.money.addContract(Contract(clientId: f.sber, number: "7/25", amount: 1))
    let inv = try f.invoice(contract: k, sum: "120 000,00", date: "2026-11-10")
    let detail = try #require(try f.money.invoice(inv))
    // Terms: 10 days after the invoice.
    #expect(detail.invoice.dueDate == "2026-11-20")
    #expect(detail.invoice.clientId == f.vector)
    #expect(detail.lines.first?.item == "Payment under contract No. 7/25 of 2026-06-01")
    // 22 % VAT included in 2026.
    #expect(detail.invoice.total == 120_000_00)
    #expect(detail.invoice.vat == 21_639_34)
    let p = try f.money.addPayment(
      Payment(clientId: f.vector, source: .bank, amount: 50_000_00), invoiceId: inv)
    let row = try #require(try f.money.contract(k))
    #expect(row.summary.contracted == 500_000_00)
    #expect(row.summary.invoiced == 120_000_00)
    #expect(row.summary.paid == 50_000_00)
    #expect(row.summary.owed == 70_000_00)
    // Due 2026-11-20, today 2026-11-23: overdue.
    #expect(row.summary.overdue == 70_000_00)
    #expect(row.toInvoice == 380_000_00)
    #expect(try f.money.invoice(inv)?.invoice.status(today: f.money.today) == .overdue)
    #expect(try f.money.payment(p)?.payment.allocated == 50_000_00)
    // A rouble contract is never in conventional units; a bad rate is refused.
    #expect(throws: CRMError.self) {
      try f.money.addContract(Contract(clientId: f.vector, number: "8", conventionalUnits: true))
    }
    #expect(throws: CRMError.self) {
      try MoneyService.parseRate("9x", language: .en, field: "rate")
    }
    #expect(
      try MoneyService.parseRate("92,5012", language: .en, field: "rate")
        == Decimal(string: "92.5012"))
  }

  @Test func invoiceNumbersRunPerYearAndDuplicatesAreRefused() throws {
    let f = try MoneyFixture()
    let a = try f.invoice(f.vector, sum: "100", date: "2026-01-15")
    let b = try f.invoice(f.sber, sum: "100", date: "2026-02-01")
    let c = try f.invoice(f.sber, sum: "100", date: "2025-12-31")
    #expect(try f.money.invoice(a)?.invoice.number == "1")
    #expect(try f.money.invoice(b)?.invoice.number == "2")
    #expect(try f.money.invoice(c)?.invoice.number == "1")
    do {
      _ = try f.invoice(f.vector, sum: "5", number: "02", date: "2026-03-01")
      Issue.record("a duplicate number was accepted")
    } catch {
      #expect(
        (error as? CRMError)?.message(.en).contains("invoice № 02 of 2026 already exists (id \(b))")
          == true)
    }
    let custom = try f.invoice(f.vector, sum: "5", number: "10-А", date: "2026-03-01")
    #expect(try f.money.invoice(custom)?.invoice.number == "10-А")
    // The next plain number skips past the custom one.
    let next = try f.invoice(f.vector, sum: "5", date: "2026-03-02")
    #expect(try f.money.invoice(next)?.invoice.number == "3")
    // Impossible dates and bad sums are refused; nothing was added.
    let before = try f.count("invoice")
    for (date, sum) in [
      ("31.02.2026", "10"), ("2026-13-01", "10"), ("", "-5"), ("", "abc"), ("", "1,234"),
    ] {
      #expect(throws: CRMError.self) { try f.invoice(f.vector, sum: sum, date: date) }
    }
    #expect(try f.count("invoice") == before)
  }

  @Test func statusFollowsPaymentsAndTheDueDay() throws {
    let f = try MoneyFixture()
    let inv = try f.invoice(f.vector, sum: "1000", due: "2026-11-25")
    func status() throws -> InvoiceStatus {
      try #require(try f.money.invoice(inv)).invoice.status(today: f.money.today)
    }
    #expect(try status() == .issued)
    let p1 = try f.money.addPayment(Payment(clientId: f.vector, amount: 400_00), invoiceId: inv)
    #expect(try status() == .partlyPaid)
    f.days(3)
    #expect(try status() == .overdue)
    // Overpayment: 700 more for 600 owed → 600 allocated, 100 stays free.
    let p2 = try f.money.addPayment(Payment(clientId: f.vector, amount: 700_00), invoiceId: inv)
    #expect(try status() == .paid)
    #expect(try f.money.payment(p2)?.payment.unallocated == 100_00)
    let s = try #require(try f.money.summary(clientId: f.vector).first)
    #expect(s.invoiced == 1000_00)
    #expect(s.paid == 1100_00)
    #expect(s.owed == 0)
    #expect(s.unallocated == 100_00)
    // Cancelling is refused while payments sit on it; after unallocating, it works.
    #expect(throws: CRMError.self) { try f.money.cancelInvoice(inv) }
    try f.money.unallocate(p1)
    try f.money.unallocate(p2)
    #expect(try f.money.invoice(inv)?.invoice.paid == 0)
    try f.money.cancelInvoice(inv)
    #expect(try status() == .cancelled)
    #expect(try f.money.summary(clientId: f.vector).first?.owed == 0)
    // Management-only is for cash alone.
    #expect(throws: CRMError.self) {
      try f.money.addPayment(
        Payment(clientId: f.vector, source: .bank, managementOnly: true, amount: 1))
    }
    _ = try f.money.addPayment(
      Payment(clientId: f.vector, source: .cash, managementOnly: true, amount: 5_00))
    #expect(try f.money.summary(clientId: f.vector).first?.managementOnly == 5_00)
  }

  @Test func allocationRefusesAnotherClientOrTooMuch() throws {
    let f = try MoneyFixture()
    let inv = try f.invoice(f.vector, sum: "100")
    let other = try f.money.addPayment(Payment(clientId: f.sber, amount: 50_00))
    #expect(throws: CRMError.self) { try f.money.allocate(other, to: inv) }
    let mine = try f.money.addPayment(Payment(clientId: f.vector, amount: 50_00))
    #expect(throws: CRMError.self) { try f.money.allocate(mine, to: inv, amount: 60_00) }
    #expect(try f.money.allocate(mine, to: inv, amount: 20_00) == 20_00)
    #expect(try f.money.allocate(mine, to: inv) == 30_00)
    #expect(throws: CRMError.self) { try f.money.allocate(mine, to: inv) }
    #expect(try f.money.invoice(inv)?.invoice.paid == 50_00)
    #expect(try f.money.allocations(ofPayment: mine).map(\.amount) == [50_00])
  }

  @Test func purposeReferencesFindInvoiceAndContractNumbers() {
    let p = "Оплата по счету № 12 от 10.06.2025 по договору № 7/25, в т.ч. НДС 20% 20000.00 руб."
    #expect(PurposeReferences.invoices(in: p) == [.init(number: "12", date: "2025-06-10")])
    #expect(PurposeReferences.contracts(in: p) == [.init(number: "7/25", date: nil)])
    #expect(PurposeReferences.invoices(in: "ОПЛАТА ПО СЧ. 45 ЗА УСЛУГИ").map(\.number) == ["45"])
    #expect(
      PurposeReferences.invoices(in: "оплата счета №2026-17, счёт №18").map(\.number) == [
        "2026-17", "18",
      ])
    #expect(PurposeReferences.invoices(in: "Payment for invoice #A-7.").map(\.number) == ["a-7"])
    #expect(PurposeReferences.invoices(in: "по сч №5 от 01.02.26").first?.date == "2026-02-01")
    #expect(PurposeReferences.contracts(in: "по договору поставки от 01.01.2026").isEmpty)
    #expect(PurposeReferences.contracts(in: "по дог. 15-П").map(\.number) == ["15-п"])
    #expect(PurposeReferences.invoices(in: "Возврат займа").isEmpty)
    // An impossible date after the number is dropped, the number kept.
    #expect(
      PurposeReferences.invoices(in: "счет 3 от 31.02.2026") == [.init(number: "3", date: nil)])
  }

  @Test func bankImportMatchesQueuesSkipsAndNeverCountsTwice() throws {
    let f = try MoneyFixture()
    let k = try f.money.addContract(
      Contract(clientId: f.vector, number: "7/25", date: "2025-06-01"))
    let inv12 = try f.invoice(contract: k, sum: "120000", number: "12", date: "2026-11-10")
    let inv13 = try f.invoice(f.sber, sum: "5000", date: "2026-11-11")
    let records = [
      // Invoice and contract quoted: matched and allocated.
      f.record(
        line: 20, number: "417", amount: 120_000_00,
        purpose: "Оплата по счету № 12 от 10.11.2026 по договору № 7/25"),
      // Known client, nothing quoted, the only open invoice of this sum (Сбер's № 13).
      f.record(
        line: 60, number: "88", amount: 5000_00, inn: "7707083893", kpp: "773601001",
        purpose: "За услуги"),
      // Known client, nothing recognisable: created.
      f.record(line: 100, number: "90", amount: 777_00, purpose: "Аванс"),
      // Unknown ИНН: queued.
      f.record(
        line: 140, number: "5", amount: 1_00, inn: "7702070139", kpp: "", purpose: "по счету 12"),
      // Outgoing: skipped.
      f.record(line: 180, number: "6", amount: 2_00, incoming: false),
      // The first document again in the same file: skipped.
      f.record(
        line: 220, number: "417", amount: 120_000_00,
        purpose: "Оплата по счету № 12 от 10.11.2026 по договору № 7/25"),
    ]
    let dry = try f.money.importBank(
      records, file: "kl_to_1c.txt", encoding: "cp1251", dryRun: true)
    #expect(
      dry.outcomes.map(\.result) == [.matched, .matched, .created, .queued, .skipped, .skipped])
    #expect(try f.count("payment") == 0)
    #expect(try f.count("bank_import") == 0)
    #expect(try f.money.invoice(inv12)?.invoice.paid == 0)

    let report = try f.money.importBank(records, file: "kl_to_1c.txt", encoding: "cp1251")
    #expect(report.outcomes.map(\.result) == dry.outcomes.map(\.result))
    #expect((report.matched, report.created, report.queued, report.skipped) == (2, 1, 1, 2))
    #expect(report.outcomes[0].invoiceNumbers == ["12"])
    #expect(report.outcomes[0].contractNumber == "7/25")
    #expect(report.outcomes[0].clientId == f.vector)
    #expect(report.outcomes[1].reason.contains("the only open invoice of this sum (№ 13)"))
    #expect(report.outcomes[3].reason.contains("no client with ИНН 7702070139"))
    #expect(report.outcomes[3].reason.contains("invoice № 12 is «Вектор»'s"))
    #expect(report.outcomes[5].reason.contains("line 20"))
    #expect(try f.money.invoice(inv12)?.invoice.status(today: f.money.today) == .paid)
    #expect(try f.money.invoice(inv13)?.invoice.paid == 5000_00)
    #expect(try f.money.queueCount() == 1)

    // The same file again adds nothing.
    let again = try f.money.importBank(records, file: "kl_to_1c.txt", encoding: "cp1251")
    #expect(
      again.outcomes.map(\.result) == [.skipped, .skipped, .skipped, .skipped, .skipped, .skipped])
    #expect(again.outcomes[0].reason.contains("already imported"))
    #expect(try f.count("payment") == 4)
    #expect(try f.money.invoice(inv12)?.invoice.paid == 120_000_00)

    // A manager assigns the queued payment.
    let queued = try #require(try f.money.payments(state: .queued).first)
    #expect(queued.payment.note.contains("7702070139"))
    let third = try f.base.clients.add(Client(name: "Третий", inn: "7702070139"))
    try f.money.assign(queued.id, to: third)
    #expect(try f.money.queueCount() == 0)
    #expect(try f.money.payment(queued.id)?.payment.clientId == third)
  }

  @Test func kppNarrowsAnINNSharedByBranchesAndAPersonPaysByInvoice() throws {
    let f = try MoneyFixture()
    let branch = try f.base.clients.add(
      Client(name: "Вектор Восток", legalForm: "ООО", inn: "5001999994", kpp: "500102002"))
    let report = try f.money.importBank(
      [
        f.record(line: 1, number: "1", amount: 10_00, kpp: "500102002"),
        f.record(line: 2, number: "2", amount: 10_00, kpp: "999999999"),
      ], file: "f", encoding: "utf8")
    #expect(report.outcomes[0].clientId == branch)
    #expect(report.outcomes[1].result == .queued)
    #expect(report.outcomes[1].reason.contains("2 clients"))
    // A person without ИНН quoting an open invoice is known by it.
    let person = try f.base.clients.add(Client(kind: .person, name: "Иванов Иван"))
    let inv = try f.invoice(person, sum: "3000", number: "77", date: "2026-11-01")
    let r2 = try f.money.importBank(
      [
        f.record(
          line: 3, number: "9", amount: 3000_00, inn: "", kpp: "", purpose: "Оплата по счету 77")
      ],
      file: "g", encoding: "utf8")
    #expect(r2.outcomes[0].clientId == person)
    #expect(r2.outcomes[0].result == .matched)
    #expect(try f.money.invoice(inv)?.invoice.paid == 3000_00)
  }

  @Test func anActFromASumInvoiceNamesTheServiceNotThePayment() throws {
    let f = try MoneyFixture()
    let k = try f.money.addContract(
      Contract(clientId: f.vector, number: "7/25", date: "2026-01-10", subject: "Обслуживание"))
    let inv = try f.invoice(contract: k, sum: "1000")
    #expect(try f.money.invoice(inv)?.lines.first?.item.hasPrefix("Payment under contract") == true)
    let act = try f.money.addAct(DocumentDraft(invoiceId: inv))
    #expect(try f.money.act(act)?.lines.map(\.item) == ["Обслуживание"])
  }

  @Test func anInvoiceAndItsPaymentMoveTheDealThroughInvoiceAndPaid() throws {
    let f = try MoneyFixture()
    let deals = DealService(db: f.db, userId: f.base.anna, language: .en, timeZone: moscow)
    let deal = try deals.add(Deal(clientId: f.vector, title: "Поставка", amount: 1000_00))
    let inv = try f.invoice(f.vector, sum: "1000", deal: deal)
    #expect(try deals.deal(deal)?.stage.key == "invoice")
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 999_00), invoiceId: inv)
    #expect(try deals.deal(deal)?.stage.key == "invoice")
    _ = try f.money.addPayment(Payment(clientId: f.vector, amount: 1_00), invoiceId: inv)
    #expect(try deals.deal(deal)?.stage.key == "paid")
    let s = try #require(try f.money.summaries(dealIds: [deal])[deal])
    #expect((s.invoiced, s.paid, s.owed) == (1000_00, 1000_00, 0))
  }

  @Test func actsCopyTheirInvoiceAndExportsAreRecorded() throws {
    let f = try MoneyFixture()
    let k = try f.money.addContract(
      Contract(clientId: f.vector, number: "7/25", date: "2026-01-10", subject: "Обслуживание"))
    let inv = try f.money.addInvoice(
      DocumentDraft(
        contractId: k, date: "2026-11-02",
        lines: [
          OfferLineInput(item: "Монтаж", quantity: "2", price: "1500", vat: "22"),
          OfferLineInput(item: "Выезд", quantity: "1", price: "500", vat: "none"),
        ]))
    let a1 = try f.money.addAct(DocumentDraft(invoiceId: inv, date: "2026-11-20"))
    let act = try #require(try f.money.act(a1))
    #expect(act.act.number == "1")
    #expect(act.act.contractId == k)
    #expect(act.lines.map(\.item) == ["Монтаж", "Выезд"])
    #expect(act.act.total == 3500_00)
    #expect(act.act.vat == 540_98)
    #expect(act.contract?.number == "7/25")
    let a2 = try f.money.addAct(
      DocumentDraft(
        contractId: k, date: "2026-11-21", periodFrom: "2026-11-01", periodTo: "2026-11-30",
        lines: [DocumentDraft.sumLine("10000")]))
    let second = try #require(try f.money.act(a2))
    #expect(second.lines[0].item == "Обслуживание for 2026-11-01..2026-11-30")
    #expect(throws: CRMError.self) {
      try f.money.addAct(
        DocumentDraft(
          contractId: k, number: "1", date: "2026-12-01", lines: [DocumentDraft.sumLine("1")]))
    }
    #expect(try f.money.acts(notExported: true).count == 2)
    try f.money.recordExport(
      acts: [act], format: "enterprisedata-1.8", file: "/tmp/a.xml", from: "2026-11-01",
      to: "2026-11-30")
    #expect(try f.money.acts(notExported: true).map(\.id) == [a2])
    let log = try f.money.exports()
    #expect(log.first?.items == 1)
    #expect(log.first?.file == "/tmp/a.xml")
    #expect(
      try f.base.clients.history(of: f.vector).contains {
        $0.entity == "act" && $0.action == "export"
      })
  }

  @Test func reconciliationShowsEveryKindOfDifference() throws {
    let f = try MoneyFixture()
    let records = [
      f.record(line: 10, number: "1", date: "2026-11-02", amount: 100_00),  // matched
      f.record(line: 20, number: "2", date: "2026-11-03", amount: 200_00),  // amount will differ
      // The date will differ.
      f.record(
        line: 30, number: "3", date: "2026-11-04", amount: 300_00, inn: "7707083893", kpp: ""),
    ]
    _ = try f.money.importBank(records, file: "f", encoding: "utf8")
    // A bank payment typed by hand, never on the statement: only in the CRM.
    _ = try f.money.addPayment(
      Payment(clientId: f.sber, source: .bank, date: "2026-11-05", amount: 50_00, number: "44"))
    // Cash: accounted, and management-only (apart).
    _ = try f.money.addPayment(
      Payment(clientId: f.sber, source: .cash, date: "2026-11-06", amount: 70_00))
    _ = try f.money.addPayment(
      Payment(
        clientId: f.sber, source: .cash, managementOnly: true, date: "2026-11-06", amount: 30_00))
    // Outside the period: not compared.
    _ = try f.money.addPayment(
      Payment(clientId: f.sber, source: .bank, date: "2026-10-05", amount: 1_00, number: "1"))
    let accounting = [
      AccountingPayment(f.record(line: 10, number: "1", date: "2026-11-02", amount: 100_00)),
      AccountingPayment(f.record(line: 20, number: "2", date: "2026-11-03", amount: 250_00)),
      AccountingPayment(
        f.record(
          line: 30, number: "3", date: "2026-11-07", amount: 300_00, inn: "7707083893", kpp: "")),
      AccountingPayment(
        f.record(line: 40, number: "9", date: "2026-11-08", amount: 900_00, inn: "7702070139")),
    ]
    let r = try f.money.reconcile(bank: accounting, from: "2026-11-01", to: "2026-11-30")
    let payments = r.rows.filter { $0.document == .payment }
    func kind(_ n: String) -> ReconciliationRow.Kind? { payments.first { $0.number == n }?.kind }
    #expect(kind("1") == .matched)
    #expect(kind("2") == .amountDiffers)
    #expect(payments.first { $0.number == "2" }?.difference == -50_00)
    #expect(kind("3") == .dateDiffers)
    #expect(kind("44") == .onlyCRM)
    #expect(kind("9") == .onlyAccounting)
    #expect(payments.count == 5)
    #expect(r.managementOnlyTotal == 30_00)
    #expect(r.accountedCash == 70_00)
    #expect(!r.agrees)
    let vector = try #require(r.clients.first { $0.clientId == f.vector })
    #expect((vector.crm, vector.accounting, vector.differences) == (300_00, 350_00, 1))
    // Rows with differences come first.
    #expect(r.rows.first?.kind == .onlyAccounting)

    // Acts: one never exported, one changed after export, one exported as is, one cancelled.
    func act(_ sum: String, _ date: String) throws -> Int64 {
      try f.money.addAct(
        DocumentDraft(clientId: f.vector, date: date, lines: [DocumentDraft.sumLine(sum)]))
    }
    let same = try act("100", "2026-11-10")
    let changed = try act("200", "2026-11-11")
    let gone = try act("300", "2026-11-12")
    _ = try act("400", "2026-11-13")
    let exported = try [same, changed, gone].map { try #require(try f.money.act($0)) }
    try f.money.recordExport(acts: exported, format: "csv", file: "acts.csv")
    try f.db.write { db in
      try db.execute(sql: "UPDATE act SET total = 999 WHERE id = ?", arguments: [changed])
    }
    try f.money.cancelAct(gone)
    let r2 = try f.money.reconcile(bank: [], from: "2026-11-01", to: "2026-11-30")
    let acts = r2.rows.filter { $0.document == .act }
    #expect(acts.first { $0.crmId == same }?.kind == .matched)
    #expect(acts.first { $0.crmId == changed }?.kind == .amountDiffers)
    #expect(acts.first { $0.crmId == gone }?.kind == .onlyAccounting)
    #expect(acts.filter { $0.kind == .onlyCRM }.count == 1)
    // Against acts read back from 1C.
    let r3 = try f.money.reconcile(
      bank: [], from: "2026-11-01", to: "2026-11-30",
      accountingActs: [
        AccountingAct(
          number: "1", date: "2026-11-10", inn: "5001999994", name: "Вектор", total: 100_00),
        AccountingAct(
          number: "2", date: "2026-11-11", inn: "5001999994", name: "Вектор", total: 200_00),
        AccountingAct(
          number: "4", date: "2026-11-14", inn: "5001999994", name: "Вектор", total: 400_00),
        AccountingAct(
          number: "77", date: "2026-11-14", inn: "5001999994", name: "Вектор", total: 1),
      ])
    let a3 = r3.rows.filter { $0.document == .act }
    #expect(a3.first { $0.number == "1" }?.kind == .matched)
    #expect(a3.first { $0.number == "2" }?.kind == .amountDiffers)
    #expect(a3.first { $0.number == "4" }?.kind == .dateDiffers)
    #expect(a3.first { $0.number == "77" }?.kind == .onlyAccounting)
    #expect(a3.count == 4)
  }

  @Test func strictDaysRefuseImpossibleDates() {
    #expect(MoneyService.strictDay("29.02.2028") == "2028-02-29")
    #expect(MoneyService.strictDay("29.02.2026") == nil)
    #expect(MoneyService.strictDay("2026-04-31") == nil)
    #expect(MoneyService.strictDay("00.01.2026") == nil)
    #expect(MoneyService.strictDay("2026-11-23") == "2026-11-23")
    #expect(DocumentNumber.key("№ 0012") == "12")
    #expect(DocumentNumber.key(" 7 / 25 ") == "7/25")
  }
}
