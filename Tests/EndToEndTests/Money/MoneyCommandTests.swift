import CRMCore
import Foundation
import TestSupport
import Testing

/// A day `offset` days from today in UTC (the binary runs with TZ=UTC): `YYYY-MM-DD` and
/// `dd.MM.yyyy`.
func utcDay(_ offset: Int = 0) -> (iso: String, ru: String) {
  var c = Calendar(identifier: .gregorian)
  c.timeZone = TimeZone(identifier: "UTC")!
  let d = c.date(byAdding: .day, value: offset, to: Date())!
  let p = c.dateComponents([.year, .month, .day], from: d)
  return (
    String(format: "%04d-%02d-%02d", p.year!, p.month!, p.day!),
    String(format: "%02d.%02d.%04d", p.day!, p.month!, p.year!)
  )
}

/// Runs `crm` expecting success; returns standard output without the final newline.
func ok(_ s: Scratch, _ args: [String], lang: String = "ru") throws -> String {
  let r = try crm(s, args, lang: lang)
  #expect(r.status == 0, "\(args): \(r.err)")
  return r.out.trimmingCharacters(in: .newlines)
}

/// Every line at most 80 columns (Cyrillic, ₽ and no-break spaces are one column each).
func fits(_ text: String) -> Bool {
  text.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 80 }
}

/// A company client with ИНН and КПП; returns its id.
func addCompany(_ s: Scratch, _ name: String, inn: String, kpp: String = "") throws -> String {
  try ok(
    s,
    ["client", "add", "--name", name, "--legal-form", "ООО", "--inn", inn]
      + (kpp.isEmpty ? [] : ["--kpp", kpp]))
}

/// How many rows the money tables and the history hold, in one line.
func moneyRows(_ s: Scratch) throws -> String {
  try sqlite(
    s,
    """
    SELECT (SELECT count(*) FROM contract), (SELECT count(*) FROM invoice),
      (SELECT count(*) FROM invoice_line), (SELECT count(*) FROM payment),
      (SELECT count(*) FROM allocation), (SELECT total(amount) FROM allocation),
      (SELECT count(*) FROM act), (SELECT count(*) FROM act_line),
      (SELECT group_concat(status) FROM invoice), (SELECT count(*) FROM change_set),
      (SELECT count(*) FROM audit)
    """)
}

/// `crm company add` with every requisite an invoice shows (real check digits).
func companyAdd(name: String = "ООО «Северный Ветер»") -> [String] {
  [
    "company", "add", "--short-name", name, "--inn", "7707083893", "--kpp", "770701001",
    "--ogrn", "1027700132195", "--legal-address", "125009, г. Москва, ул. Тверская, д. 1",
    "--bank-name", "ПАО Сбербанк", "--bik", "044525225", "--corr-account",
    "30101810400000000225", "--account", "40702810938000012345", "--director-title",
    "Генеральный директор", "--director-name", "Иванов И. И.",
  ]
}

@Suite(.serialized) struct MoneyCommandTests {
  @Test func contractInvoicePaymentActAndTheirPrintouts() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addCompany(s, "Вектор", inn: "5001999994", kpp: "500101001")
    _ = try ok(s, companyAdd(name: "ООО \"Наша <компания> & Ко\""))
    let contract = try ok(
      s,
      [
        "contract", "add", "--client", client, "--number", "7/25", "--sum", "500 000",
        "--terms-days", "10", "--prepay", "30", "--date", "01.06.2026", "--subject",
        "Обслуживание котельной",
      ])
    #expect(contract == "1")

    // The invoice: number 1 of the year, due in the contract's 10 days.
    let today = utcDay()
    let due = utcDay(10)
    let add = try crm(s, ["invoice", "add", "--contract", contract, "--sum", "120 000,00"])
    #expect(add.status == 0, "\(add.err)")
    #expect(add.out == "1\n")
    #expect(
      add.err.contains(
        "Счёт № 1 от \(today.ru): 120\u{00A0}000,00\u{00A0}₽, оплатить до \(due.ru)"), "\(add.err)")
    let issued = try jsonObject(s, ["invoice", "show", "1"])
    #expect(issued["number"] as? String == "1")
    #expect(issued["date"] as? String == today.iso)
    #expect(issued["due_date"] as? String == due.iso)
    #expect(issued["status"] as? String == "issued")
    #expect(issued["total"] as? String == "120000.00")
    #expect(issued["owed"] as? String == "120000.00")
    #expect(issued["contract_number"] as? String == "7/25")
    #expect(issued["client_inn"] as? String == "5001999994")
    let line = try #require((issued["lines"] as? [[String: Any]])?.first)
    #expect(line["item"] as? String == "Оплата по договору № 7/25 от 01.06.2026")
    #expect(line["sum"] as? String == "120000.00")

    // The payment pays it.
    let pay = try crm(
      s, ["payment", "add", "--client", client, "--sum", "120000", "--invoice", "1"])
    #expect(pay.status == 0, "\(pay.err)")
    #expect(pay.out == "1\n")
    #expect(pay.err.contains("На счёт № 1 распределено: 120\u{00A0}000,00\u{00A0}₽; оплачен"))
    let list = try ok(s, ["invoice", "list"])
    #expect(list.contains("оплачен"), "\(list)")
    #expect(list.contains("ООО «Вектор»") || list.contains("ООО «Век"))
    #expect(fits(list))
    let listed = try jsonArray(s, ["invoice", "list", "--client", client])
    #expect(listed.map { $0["status"] as? String } == ["paid"])
    #expect(listed.first?["paid"] as? String == "120000.00")
    #expect(listed.first?["owed"] as? String == "0.00")
    #expect(try jsonArray(s, ["invoice", "list", "--unpaid"]).isEmpty)
    let shown = try ok(s, ["invoice", "show", "1"])
    for part in [
      "Счёт № 1 от \(today.ru) (№1), оплачен", "ИНН 5001999994, КПП 500101001",
      "Договор: № 7/25 от 01.06.2026 (№1)", "Оплатить до: \(due.ru)",
      "  1. Оплата по договору № 7/25 от 01.06.2026 — 1 × 120\u{00A0}000,00\u{00A0}₽, НДС",
      "к оплате: 120\u{00A0}000,00\u{00A0}₽", "Оплаты:", "  платёж №1 от \(today.ru), банк:",
    ] {
      #expect(shown.contains(part), "\(part) not in \(shown)")
    }

    // The act copies the invoice.
    #expect(try ok(s, ["act", "add", "--invoice", "1"]) == "1")
    let act = try jsonObject(s, ["act", "show", "1"])
    #expect(act["invoice_id"] as? Int == 1)
    #expect(act["contract_number"] as? String == "7/25")
    #expect(act["total"] as? String == "120000.00")
    #expect(act["status"] as? String == "issued")
    #expect(act["exported"] as? Bool == false)
    #expect((act["lines"] as? [[String: Any]])?.count == 1)

    // Printouts: the total in words, 80 columns, our company from its requisites.
    let actText = try ok(s, ["act", "print", "1"])
    for part in [
      "Акт № 1 от ", "выполненных работ (оказанных услуг)", "Сто двадцать тысяч рублей 00 копеек",
      "Исполнитель: ООО \"Наша <компания> & Ко\", ИНН 7707083893, КПП 770701001",
      "Заказчик: ООО «Вектор», ИНН 5001999994, КПП 500101001",
      "Вышеперечисленные услуги выполнены полностью и в срок.",
    ] {
      #expect(actText.contains(part), "\(part) not in \(actText)")
    }
    #expect(fits(actText), "\(actText)")
    let invoiceText = try ok(s, ["invoice", "print", "1"])
    for part in [
      "Счёт на оплату № 1 от ", "Поставщик: ООО \"Наша <компания> & Ко\"",
      "Покупатель: ООО «Вектор», ИНН 5001999994, КПП 500101001",
      "Основание: договор № 7/25 от 01.06.2026", "Сто двадцать тысяч рублей 00 копеек",
      "Оплатить до ", "Руководитель", "Бухгалтер", "Банк получателя", "044525225",
      "40702810938000012345", "М.П.",
    ] {
      #expect(invoiceText.contains(part), "\(part) not in \(invoiceText)")
    }
    #expect(fits(invoiceText), "\(invoiceText)")
    let page = s.dir + "/invoice.html"
    #expect(try ok(s, ["invoice", "print", "1", "--html", "--out", page]).isEmpty)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("ООО &quot;Наша &lt;компания&gt; &amp; Ко&quot;"))
    #expect(!html.contains("<компания>"))
    #expect(html.contains("Сто двадцать тысяч рублей 00 копеек"))
    let actHTML = try ok(s, ["act", "print", "1", "--html"])
    #expect(actHTML.contains("&lt;компания&gt;") && !actHTML.contains("<компания>"))
    #expect(try crm(s, ["act", "print", "1", "--out", s.dir + "/no/such/dir/a.txt"]).status == 2)

    // The contract's money and the client's.
    let k = try jsonObject(s, ["contract", "show", contract])
    #expect(k["amount"] as? String == "500000.00")
    #expect(k["invoiced"] as? String == "120000.00")
    #expect(k["paid"] as? String == "120000.00")
    #expect(k["owed"] as? String == "0.00")
    #expect(k["overdue"] as? String == "0.00")
    #expect(k["to_invoice"] as? String == "380000.00")
    #expect(k["acted"] as? String == "120000.00")
    #expect(k["prepay_percent"] as? Int == 30)
    #expect(k["payment_days"] as? Int == 10)
    #expect(k["kind"] as? String == "formal")
    #expect(k["date"] as? String == "2026-06-01")
    #expect((k["invoices"] as? [[String: Any]])?.count == 1)
    let kText = try ok(s, ["contract", "show", contract])
    for part in [
      "Договор № 7/25 от 01.06.2026 (№1), действует", "Предоплата: 30\u{00A0}%",
      "Срок оплаты: 10 дн. после счёта", "Сальдо (долг): 0,00\u{00A0}₽",
      "Осталось выставить: 380\u{00A0}000,00\u{00A0}₽", "Счета:",
    ] {
      #expect(kText.contains(part), "\(part) not in \(kText)")
    }
    let money = try jsonObject(s, ["money", client])
    let rub = try #require((money["currencies"] as? [[String: Any]])?.first)
    #expect(rub["currency"] as? String == "RUB")
    #expect(rub["contracted"] as? String == "500000.00")
    #expect(rub["invoiced"] as? String == "120000.00")
    #expect(rub["paid"] as? String == "120000.00")
    #expect(rub["owed"] as? String == "0.00")
    #expect(rub["acted"] as? String == "120000.00")
    #expect(
      try sqlite(s, "SELECT status, paid, total FROM invoice") == "issued|12000000|12000000\n")
  }

  @Test func statusesAllocationCashTheQueueAndCurrencies() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    // Overdue: dated a month ago, due ten days ago.
    let old = try ok(
      s,
      [
        "invoice", "add", "--client", client, "--sum", "1000", "--date", utcDay(-30).ru, "--due",
        utcDay(-10).ru, "--item", "Консультация", "--vat", "none",
      ])
    #expect(try ok(s, ["invoice", "list", "--overdue"]).contains("просрочен"))
    #expect(
      try jsonArray(s, ["invoice", "list", "--overdue"]).map { $0["id"] as? Int } == [Int(old)])
    let draft = try ok(s, ["invoice", "add", "--client", client, "--sum", "50", "--draft"])
    #expect(try jsonObject(s, ["invoice", "show", draft])["status"] as? String == "draft")
    #expect(try ok(s, ["invoice", "issue", draft]) == "Счёт № 2 выставлен.")
    #expect(try jsonObject(s, ["invoice", "show", draft])["status"] as? String == "issued")

    // Management-only needs cash; nothing is written when refused.
    let before = try moneyRows(s)
    let refused = try crm(
      s, ["payment", "add", "--client", client, "--sum", "300", "--management-only"])
    #expect(refused.status == 1)
    #expect(refused.err.contains("Управленческий: вне учёта может быть только наличная оплата"))
    #expect(try moneyRows(s) == before)
    let cash = try ok(
      s, ["payment", "add", "--client", client, "--sum", "300", "--cash", "--management-only"])
    let p = try jsonObject(s, ["payment", "show", cash])
    #expect(p["source"] as? String == "cash")
    #expect(p["management_only"] as? Bool == true)
    #expect(p["unallocated"] as? String == "300.00")
    let allocated = try ok(s, ["payment", "allocate", cash, old])
    #expect(
      allocated.contains("на счёт № 1 распределено 300,00\u{00A0}₽ (просрочен)"), "\(allocated)")
    #expect(try jsonObject(s, ["invoice", "show", old])["paid"] as? String == "300.00")
    #expect(try ok(s, ["payment", "list"]).contains("упр. нал."))
    #expect(try ok(s, ["payment", "unallocate", cash]) == "Платёж №\(cash) снят со всех счетов.")
    #expect(try ok(s, ["invoice", "cancel", old]) == "Счёт № 1 отменён.")
    #expect(try jsonObject(s, ["invoice", "show", old])["status"] as? String == "cancelled")

    // Dollars: contract in USD, its invoice and payment follow it.
    let usd = try ok(
      s,
      [
        "contract", "add", "--client", client, "--number", "USD-1", "--sum", "1000", "--currency",
        "usd", "--rate", "92,5",
      ])
    let inv = try ok(s, ["invoice", "add", "--contract", usd, "--sum", "400"])
    _ = try ok(s, ["payment", "add", "--client", client, "--sum", "100", "--invoice", inv])
    let money = try jsonObject(s, ["money", client])
    let currencies = try #require(money["currencies"] as? [[String: Any]])
    #expect(currencies.map { $0["currency"] as? String } == ["RUB", "USD"])
    #expect(currencies[0]["management_only"] as? String == "300.00")
    #expect(currencies[0]["unallocated"] as? String == "300.00")
    #expect(currencies[0]["invoiced"] as? String == "50.00")
    #expect(currencies[1]["contracted"] as? String == "1000.00")
    #expect(currencies[1]["invoiced"] as? String == "400.00")
    #expect(currencies[1]["paid"] as? String == "100.00")
    #expect(currencies[1]["owed"] as? String == "300.00")
    #expect(money["client"] as? String == "ООО «Ромашка»")
    let moneyText = try ok(s, ["money", client])
    #expect(moneyText.hasPrefix("ООО «Ромашка» (№\(client))"))
    #expect(moneyText.contains("RUB") && moneyText.contains("USD"))
    #expect(moneyText.contains("в т. ч. вне учёта") && moneyText.contains("300,00\u{00A0}$"))
    #expect(fits(moneyText))
    let k = try jsonObject(s, ["contract", "show", usd])
    #expect(k["currency"] as? String == "USD")
    #expect(k["rate"] as? String == "92.5")
    #expect(try jsonObject(s, ["invoice", "show", inv])["currency"] as? String == "USD")

    // The queue: a bank payment nobody recognised waits with its reason.
    let db = try CRMDatabase(path: s.db)
    let anna = try #require(try db.user(login: "anna"))
    let service = MoneyService(db: db, userId: anna.id, language: .ru)
    _ = try service.importBank(
      [
        BankPaymentRecord(
          line: 7, number: "417", date: utcDay().iso, amount: 5000_00, payerName: "ООО \"Третий\"",
          payerINN: "7702070139", purpose: "Оплата по счету 99"),
        BankPaymentRecord(
          line: 9, number: "418", date: utcDay().iso, amount: 1_00, payerName: "Банк",
          payerINN: "7707083893", purpose: "Возврат"),
      ], file: "kl_to_1c.txt", encoding: "utf8")
    let queue = try jsonArray(s, ["payment", "queue"])
    #expect(queue.count == 2)
    #expect((queue.first?["reason"] as? String)?.contains("нет клиента с ИНН 7702070139") == true)
    #expect(queue.first?["state"] as? String == "queued")
    #expect(queue.first?["client_id"] is NSNull)
    let queueText = try ok(s, ["payment", "queue"])
    #expect(queueText.contains("Причина: нет клиента с ИНН 7702070139"), "\(queueText)")
    #expect(queueText.contains("Назначение: Оплата по счету 99"))
    #expect(fits(queueText))
    let first = try #require(queue.first?["id"] as? Int)
    let second = try #require(queue.last?["id"] as? Int)
    #expect(try jsonArray(s, ["payment", "list", "--queued"]).count == 2)
    #expect(
      try ok(s, ["payment", "assign", String(first), "--client", client])
        == "Платёж №\(first) привязан к клиенту ООО «Ромашка».")
    #expect(try ok(s, ["payment", "ignore", String(second)]) == "Платёж №\(second) отложен.")
    #expect(try ok(s, ["payment", "queue"]) == "Очередь пуста.")
    #expect(
      try jsonArray(s, ["payment", "list", "--ignored"]).map { $0["id"] as? Int } == [second])
    _ = try ok(s, ["payment", "ignore", String(second), "--undo"])
    #expect(try jsonArray(s, ["payment", "queue"]).map { $0["id"] as? Int } == [second])
    let assigned = try crm(s, ["payment", "ignore", String(first)])
    #expect(assigned.status == 1 && assigned.err.contains("уже привязан"))
  }

  @Test func badInputIsRefusedNamingTheFieldAndNothingIsWritten() throws {
    let s = Scratch()
    defer { s.remove() }
    let a = try addCompany(s, "Вектор", inn: "5001999994")
    let b = try addClient(s, "Ромашка")
    _ = try ok(s, ["contract", "add", "--client", a, "--number", "7/25", "--sum", "1000"])
    _ = try ok(s, ["invoice", "add", "--contract", "1", "--sum", "100"])
    _ = try ok(s, ["payment", "add", "--client", a, "--sum", "100", "--invoice", "1"])
    _ = try ok(s, ["payment", "add", "--client", b, "--sum", "100"])
    _ = try ok(s, ["contract", "add", "--client", b, "--number", "B-1", "--sum", "10"])
    let rows = try moneyRows(s)
    let cases: [([String], String)] = [
      (["invoice", "add", "--client", a, "--sum", "12a"], "Сумма: не удаётся прочитать «12a»"),
      (["invoice", "add", "--client", a, "--sum", "-5"], "Сумма: «-5»: сумма не может быть"),
      (["invoice", "add", "--client", a, "--sum", "1,234"], "Сумма: «1,234»: у RUB 2 знака"),
      (["invoice", "add", "--client", a, "--sum", "0"], "Сумма: должна быть больше нуля"),
      (["invoice", "add", "--client", a], "Сумма: не указана"),
      (
        ["invoice", "add", "--client", a, "--sum", "10", "--date", "31.02.2026"], "Дата: 31.02.2026"
      ),
      (
        ["invoice", "add", "--client", a, "--sum", "10", "--currency", "XYZ"], "Валюта: неизвестная"
      ),
      (
        ["contract", "add", "--client", a, "--number", "9", "--sum", "10", "--prepay", "120"],
        "Предоплата:"
      ),
      (
        ["contract", "add", "--client", a, "--number", "9", "--sum", "10", "--prepay", "треть"],
        "Предоплата:"
      ),
      (
        ["contract", "add", "--client", a, "--number", "7 / 25", "--sum", "10"],
        "Номер: договор № 7 / 25"
      ),
      (
        ["contract", "add", "--client", a, "--number", "9", "--sum", "10", "--kind", "устный"],
        "Вид:"
      ),
      (
        ["contract", "add", "--client", a, "--number", "9", "--sum", "10", "--terms-days", "abc"],
        "Срок оплаты:"
      ),
      (
        ["contract", "add", "--client", a, "--number", "9", "--sum", "10", "--rate", "90"], "Курс:"
      ),
      (
        [
          "contract", "add", "--client", a, "--number", "9", "--sum", "10", "--date", "10.06.2026",
          "--valid-until", "01.06.2026",
        ],
        "Действует до:"
      ),
      (["invoice", "add", "--client", a, "--sum", "10", "--number", "1"], "Номер: счёт № 1 за"),
      (["invoice", "add", "--client", "999", "--sum", "10"], "нет объекта «клиент» с номером 999"),
      (
        ["invoice", "add", "--contract", "1", "--client", b, "--sum", "10"],
        "Договор: договор 1 другого клиента"
      ),
      (["invoice", "add", "--client", a, "--sum", "10", "--vat", "18"], "НДС: неизвестная ставка"),
      (
        [
          "invoice", "add", "--client", a, "--sum", "10", "--date", "10.06.2026", "--due",
          "01.06.2026",
        ], "Оплатить до:"
      ),
      (
        ["invoice", "add", "--client", a, "--sum", "10", "--currency", "USD", "--rate", "9x"],
        "Курс:"
      ),
      (["invoice", "add", "--client", a, "--line", "Болт|две|10"], "Количество:"),
      (["invoice", "add", "--client", a, "--line", "Болт|2"], "Строка 1:"),
      (["payment", "allocate", "2", "1"], "Счёт: счёт № 1 другого клиента"),
      (["payment", "allocate", "1", "1", "--sum", "5"], "Сумма: свободно только 0.00"),
      (
        ["payment", "add", "--client", a, "--sum", "10", "--invoice", "999"],
        "нет объекта «счёт» с номером 999"
      ),
      (["payment", "add", "--client", a, "--sum", "10", "--date", "2026-13-01"], "Дата:"),
      (
        ["payment", "add", "--client", a, "--sum", "10", "--contract", "2"],
        "Договор: договор 2 не этого клиента"
      ),
      (["invoice", "cancel", "1"], "Счёт: на счёт № 1 распределено платежей: 1"),
      (
        ["act", "add", "--contract", "1", "--sum", "10", "--period", "30.06.2026..01.06.2026"],
        "Период:"
      ),
      (["act", "add", "--contract", "1", "--sum", "10", "--period", "июнь"], "Период: «июнь»"),
      (["act", "add", "--contract", "1"], "Сумма: не указана"),
      (["act", "add", "--invoice", "999"], "нет объекта «счёт» с номером 999"),
      (["act", "add", "--invoice", "1", "--client", b], "Счёт: счёт 1 другого клиента"),
      (["contract", "edit", "1", "--status", "забыт"], "--status: «забыт»"),
      (["invoice", "show", "999"], "нет объекта «счёт» с номером 999"),
    ]
    for (args, message) in cases {
      let r = try crm(s, args)
      #expect(r.status == 1, "\(args) exited \(r.status): \(r.err)")
      #expect(r.err.hasPrefix("crm: ") && r.err.contains(message), "\(args): \(r.err)")
      #expect(r.out.isEmpty, "\(args) printed \(r.out)")
      #expect(try moneyRows(s) == rows, "\(args) wrote something")
    }
    // In English the field is named in English.
    let en = try crm(s, ["invoice", "add", "--client", a, "--sum", "12a"], lang: "en")
    #expect(en.status == 1 && en.err.contains("Sum: cannot read «12a» as an amount"))
    #expect(try moneyRows(s) == rows)
  }

  @Test func listingsAsJSONHaveStableKeys() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addCompany(s, "Вектор", inn: "5001999994")
    _ = try ok(s, ["contract", "add", "--client", client, "--number", "1", "--sum", "10"])
    _ = try ok(
      s,
      [
        "invoice", "add", "--contract", "1", "--line", "Монтаж|2|1500|22|ч", "--line",
        "Выезд|1|500|none",
      ])
    _ = try ok(s, ["payment", "add", "--client", client, "--sum", "3500", "--invoice", "1"])
    _ = try ok(
      s, ["act", "add", "--contract", "1", "--sum", "3500", "--period", "01.11.2026..30.11.2026"])
    func keys(_ o: [String: Any]?) -> [String] { (o?.keys.map { $0 } ?? []).sorted() }
    #expect(
      keys(try jsonArray(s, ["contract", "list"]).first) == [
        "acted", "amount", "client", "client_id", "conventional_units", "currency", "date",
        "deal_id", "id", "invoiced", "kind", "management_only", "notes", "number", "overdue",
        "owed", "paid", "payment_days", "prepay_percent", "rate", "status", "subject", "terms",
        "to_invoice", "unallocated", "valid_until",
      ])
    #expect(
      keys(try jsonArray(s, ["invoice", "list"]).first) == [
        "client", "client_id", "contract_id", "contract_number", "currency", "date", "deal_id",
        "due_date", "id", "notes", "number", "overpaid", "owed", "paid", "prices_include_vat",
        "rate", "status", "total", "vat",
      ])
    #expect(
      keys(try jsonArray(s, ["act", "list"]).first) == [
        "client", "client_id", "client_inn", "client_kpp", "contract_id", "contract_number",
        "currency", "date", "export_id", "exported", "id", "invoice_id", "invoice_number", "notes",
        "number", "period_from", "period_to", "prices_include_vat", "rate", "status", "total",
        "vat",
      ])
    let payments = try jsonArray(s, ["payment", "list"])
    #expect(
      keys(payments.first) == [
        "account", "allocated", "amount", "client", "client_id", "contract_id", "contract_number",
        "currency", "date", "id", "import_id", "kind", "management_only", "note", "number",
        "payer_account", "payer_inn", "payer_kpp", "payer_name", "purpose", "source", "state",
        "unallocated",
      ])
    #expect(payments.first?["allocated"] as? String == "3500.00")
    #expect(try jsonArray(s, ["payment", "queue"]).isEmpty)
    #expect(
      keys(try jsonObject(s, ["money", client])) == ["client", "client_id", "currencies"])
    // Two lines with their VAT: 22 % extracted from 3000, none on 500.
    let invoice = try jsonObject(s, ["invoice", "show", "1"])
    let lines = try #require(invoice["lines"] as? [[String: Any]])
    #expect(lines.map { $0["vat_rate"] as? Int } == [22, nil])
    #expect(lines.map { $0["unit"] as? String } == ["ч", ""])
    #expect(lines.map { $0["vat"] as? String } == ["540.98", "0.00"])
    #expect((invoice["totals"] as? [String: Any])?["gross"] as? String == "3500.00")
    let allocations = try #require(invoice["allocations"] as? [[String: Any]])
    #expect(allocations.map { $0["payment_id"] as? Int } == [1])
    #expect(
      keys(try jsonObject(s, ["payment", "show", "1"])).contains("allocations"))

    // Acts: by period, and not yet exported.
    let act = try #require(try jsonArray(s, ["act", "list"]).first)
    #expect(act["period_from"] as? String == "2026-11-01")
    #expect(act["period_to"] as? String == "2026-11-30")
    #expect(act["invoice_id"] is NSNull)
    #expect(try jsonArray(s, ["act", "list", "--not-exported"]).count == 1)
    #expect(
      try jsonArray(s, ["act", "list", "--from", "01.01.2000", "--to", "02.01.2000"]).isEmpty)
    #expect(try jsonArray(s, ["act", "list", "--client", client]).count == 1)
    let text = try ok(s, ["act", "list"])
    #expect(text.contains("01.11.2026–30.11.2026") && fits(text), "\(text)")
    let db = try CRMDatabase(path: s.db)
    let service = MoneyService(db: db, userId: nil, language: .ru)
    try service.recordExport(acts: [try #require(try service.act(1))], format: "csv", file: "a.csv")
    #expect(try jsonArray(s, ["act", "list", "--not-exported"]).isEmpty)
    #expect(try ok(s, ["act", "list"]).contains("выгружен"))
    let cancel = try crm(s, ["act", "cancel", "1"])
    #expect(cancel.status == 0 && cancel.out == "Акт № 1 отменён.\n")
    #expect(cancel.err.contains("уже выгружен в 1С"))
    #expect(try jsonArray(s, ["act", "list"]).first?["status"] as? String == "cancelled")
    // Every listing in text fits 80 columns and says so when empty.
    for list in [
      ["contract", "list"], ["invoice", "list"], ["payment", "list"], ["act", "list"],
    ] {
      #expect(fits(try ok(s, list)))
    }
    #expect(try ok(s, ["invoice", "list", "--client", "999"]) == "Счетов нет.")
    #expect(try ok(s, ["contract", "list", "--client", "999"]) == "Договоров нет.")
  }
}
