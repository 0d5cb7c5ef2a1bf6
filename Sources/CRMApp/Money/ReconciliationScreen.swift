import CRMCore
import Foundation
import TerminalUI

/// Asks for the bank statement (and, optionally, the acts exported from accounting), reads
/// them with the loaders the `crm` executable gave `AppContext`, and opens the reconciliation.
@MainActor
final class ReconcileFormScreen: FormScreen {
  let remember: (String, String) -> Void

  init(context: AppContext, form: Form, remember: @escaping (String, String) -> Void) {
    self.remember = remember
    super.init(context: context, form: form, tab: 6)
  }

  static func make(
    context: AppContext, statement: String, acts: String,
    remember: @escaping (String, String) -> Void
  ) -> ReconcileFormScreen {
    let l = context.language
    let form = Form(
      title: l.pick("Reconcile with accounting", "Сверка с учётом"),
      fields: [
        FormField(
          key: "statement", label: l.pick("Bank statement", "Выписка банка"), value: statement,
          note: l.pick("a file path", "путь к файлу")),
        FormField(
          key: "acts", label: l.pick("Acts from 1C", "Акты из 1С"), value: acts,
          note: l.pick("EnterpriseData XML; empty: none", "EnterpriseData XML; пусто — без")),
        FormField(
          key: "period", label: l.pick("Period", "Период"),
          note: l.pick("empty: the statement's", "пусто — как в выписке")),
      ])
    return ReconcileFormScreen(context: context, form: form, remember: remember)
  }

  override var cancelMessage: String {
    context.language.pick("No reconciliation.", "Сверка не выполнена.")
  }

  override func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    super.draw(&canvas, top: top, rows: rows, width: width)
    var notes = [
      l.pick(
        "The statement (kl_to_1c.txt from the bank client) is compared with the CRM's bank payments of its period; acts with the acts read back from 1C (EnterpriseData), or without that file with what the CRM exported. ^S runs it.",
        "Выписка (kl_to_1c.txt из банк-клиента) сравнивается с банковскими платежами CRM за её период; акты — с актами из 1С (EnterpriseData), а без этого файла — с тем, что CRM выгрузила. ^S — выполнить."
      )
    ]
    if context.loadStatement == nil {
      notes.append(
        l.pick(
          "This build cannot read bank statements yet.",
          "Эта сборка пока не умеет читать выписки банка."))
    }
    drawNotes(notes, &canvas, top: top, rows: rows, width: width)
  }

  /// A loader's error as a sentence.
  static func message(_ error: any Error, _ l: Language) -> String {
    if let e = error as? CRMError { return e.message(l) }
    if let e = error as? LocalizedError, let d = e.errorDescription { return d }
    return String(describing: error)
  }

  override func submit(app: App) -> Bool {
    let path = form.value("statement").trimmingSpaces()
    let actsPath = form.value("acts").trimmingSpaces()
    guard !path.isEmpty else {
      form.setError("statement", l.pick("give the statement's file", "укажите файл выписки"))
      return false
    }
    guard let loadStatement = context.loadStatement else {
      form.setError(
        "statement",
        l.pick("this build cannot read bank statements", "эта сборка не читает выписки банка"))
      return false
    }
    let statement: LoadedStatement
    do {
      statement = try loadStatement(path)
    } catch {
      form.setError("statement", Self.message(error, l))
      app.flash(Self.message(error, l), error: true)
      return false
    }
    var acts: [AccountingAct]?
    if !actsPath.isEmpty {
      guard let loadActs = context.loadActs else {
        form.setError(
          "acts", l.pick("this build cannot read acts files", "эта сборка не читает файлы актов"))
        return false
      }
      do {
        acts = try loadActs(actsPath)
      } catch {
        form.setError("acts", Self.message(error, l))
        app.flash(Self.message(error, l), error: true)
        return false
      }
    }
    var from = statement.from
    var to = statement.to
    do {
      let typed = try context.money.period(form.value("period"))
      if !typed.0.isEmpty { (from, to) = typed }
    } catch {
      if case .invalid(_, let problem) = error { form.setError("period", problem) }
      app.flash(error.message(l), error: true)
      return false
    }
    if from.isEmpty || to.isEmpty {
      form.setError(
        "period",
        l.pick(
          "the statement names no period; type one", "в выписке нет периода; укажите его"))
      return false
    }
    do {
      let report = try context.money.reconcile(
        bank: statement.payments, from: from, to: to, accounts: statement.accounts,
        accountingActs: acts)
      remember(path, actsPath)
      app.pop()
      app.push(ReconciliationScreen(context: context, report: report, file: path))
      return false
    } catch {
      app.report(error)
      return false
    }
  }
}

/// The reconciliation's result: counts per kind, the rows with differences first (CRM against
/// accounting), totals per client, and management-only cash apart. Scrolls.
@MainActor
final class ReconciliationScreen: Screen {
  let tab = 6
  let context: AppContext
  let report: ReconciliationReport
  let file: String
  var scroll = LineScroll()

  init(context: AppContext, report: ReconciliationReport, file: String) {
    self.context = context
    self.report = report
    self.file = file
  }

  static func kindStyle(_ k: ReconciliationRow.Kind) -> Style {
    switch k {
    case .matched: return Style(color: .green)
    case .dateDiffers: return Style(bold: true, color: .yellow)
    case .onlyCRM, .onlyAccounting, .amountDiffers: return Style(bold: true, color: .red)
    }
  }

  func amount(_ minor: Int64?) -> String {
    guard let minor else { return "—" }
    return Money(minor: minor).formatted(l)
  }

  func day(_ iso: String?) -> String {
    guard let iso, !iso.isEmpty else { return "—" }
    return MoneyText.day(iso, l)
  }

  func document(_ d: ReconciliationRow.Document) -> String {
    d == .payment ? l.pick("payment", "платёж") : l.pick("act", "акт")
  }

  func lines(_ width: Int) -> [ReportLine] {
    var out: [ReportLine] = []
    let r = report
    let f = context.formats
    // Counts: a row per kind, payments and acts.
    let k = 18
    out.append(
      ReportLine([
        (" " + TextWidth.fit("", to: k), .bold),
        (TextWidth.fit(l.pick("Payments", "Платежи"), to: 9, alignRight: true), .bold),
        (TextWidth.fit(l.pick("Acts", "Акты"), to: 7, alignRight: true), .bold),
      ]))
    for kind in ReconciliationRow.Kind.allCases {
      let p = r.count(kind, .payment)
      let a = r.count(kind, .act)
      let style = p + a > 0 ? Self.kindStyle(kind) : .dim
      out.append(
        ReportLine([
          (" " + TextWidth.fit(kind.name(l), to: k), style),
          (TextWidth.fit(f.integer(p), to: 9, alignRight: true), p > 0 ? style : .dim),
          (TextWidth.fit(f.integer(a), to: 7, alignRight: true), a > 0 ? style : .dim),
        ]))
    }
    if !r.comparedActs {
      out += ReportLine.wrapped(
        l.pick(
          "Acts were compared with what the CRM exported (no acts file from 1C).",
          "Акты сравнены с выгрузками из CRM (файла актов из 1С нет)."), width: width, .dim)
    }
    // The rows: differences first; two lines each (what and whose; CRM against accounting).
    out.append(.blank)
    let differences = r.rows.filter { $0.kind != .matched }
    out.append(
      ReportLine([
        (
          " " + l.pick("Differences", "Расхождения") + " (\(f.integer(differences.count)))",
          Style(bold: true, underline: true)
        )
      ]))
    if differences.isEmpty {
      out.append(
        .text(
          l.pick("None: the CRM and accounting agree.", "Нет: CRM и учёт сходятся."),
          Style(color: .green)))
    }
    // Under each row's title: the CRM's day and amount, accounting's, and the difference, in
    // columns named once above them.
    func sides(_ a: String, _ b: String, _ c: String, _ d: String) -> String {
      "   " + TextWidth.fit(a, to: 10) + " " + TextWidth.fit(b, to: 14, alignRight: true) + "   "
        + TextWidth.fit(c, to: 10) + " " + TextWidth.fit(d, to: 14, alignRight: true) + "  "
    }
    if !r.rows.isEmpty {
      out.append(
        ReportLine([
          (sides("CRM", "", l.pick("Accounting", "Учёт"), ""), .bold),
          (TextWidth.fit(l.pick("Difference", "Разница"), to: 14, alignRight: true), .bold),
        ]))
    }
    for row in r.rows {
      let style = Self.kindStyle(row.kind)
      let number = row.number.isEmpty ? "" : " № " + row.number
      var title: [(String, Style)] = [
        (" " + TextWidth.fit(row.kind.name(l), to: 15) + " ", style),
        (document(row.document) + number + "  ", .bold),
      ]
      if !row.note.isEmpty { title.append((row.note + "  ", style)) }
      title.append((row.clientName + (row.inn.isEmpty ? "" : " (" + row.inn + ")"), .plain))
      out.append(ReportLine(title))
      let line = sides(
        row.crmDate == nil ? "—" : day(row.crmDate),
        row.crmAmount == nil ? "" : amount(row.crmAmount),
        row.accountingDate == nil ? "—" : day(row.accountingDate),
        row.accountingAmount == nil ? "" : amount(row.accountingAmount))
      var runs: [(String, Style)] = [(line, row.kind == .matched ? .dim : .plain)]
      if row.difference != 0 {
        runs.append(
          (
            TextWidth.fit(amount(row.difference), to: 14, alignRight: true),
            Style(bold: true, color: .red)
          ))
      }
      out.append(ReportLine(runs))
    }
    // Per client (payments).
    out.append(.blank)
    out.append(
      ReportLine([
        (
          " " + l.pick("Payments by client", "Платежи по клиентам") + " (\(r.clients.count))",
          Style(bold: true, underline: true)
        )
      ]))
    let cols = [
      Column(l.pick("Client", "Клиент"), width: 0), Column(l.pick("INN", "ИНН"), width: 12),
      Column("CRM", width: 14, alignRight: true),
      Column(l.pick("Accounting", "Учёт"), width: 14, alignRight: true),
      Column(l.pick("Difference", "Разница"), width: 14, alignRight: true),
    ]
    let widths = layoutColumns(cols, total: width - 1, minFlex: 12)
    func tableRow(_ cells: [String], _ style: Style, diff: Bool = false) -> ReportLine {
      var runs: [(String, Style)] = [(" ", .plain)]
      for (i, c) in cols.enumerated() where widths[i] > 0 {
        let s = i == 4 && diff ? Style(bold: true, color: .red) : style
        runs.append((TextWidth.fit(cells[i], to: widths[i], alignRight: c.alignRight) + " ", s))
      }
      return ReportLine(runs)
    }
    out.append(tableRow(cols.map(\.title), .bold))
    for c in r.clients {
      out.append(
        tableRow(
          [c.name, c.inn, amount(c.crm), amount(c.accounting), amount(c.difference)],
          c.differences > 0 ? .plain : .dim, diff: c.difference != 0))
    }
    // Management-only cash: never in accounting, not compared.
    out.append(.blank)
    out.append(
      ReportLine([
        (
          " " + l.pick("Management-only cash", "Управленческий учёт (нал. вне бухгалтерии)"),
          Style(bold: true, underline: true)
        ),
        (
          "  " + f.integer(r.managementOnly.count) + " · "
            + Money(minor: r.managementOnlyTotal).formatted(l), .bold
        ),
      ]))
    for p in r.managementOnly {
      out.append(
        .text(
          "  " + day(p.payment.date) + "  " + TextWidth.fit(p.clientName ?? "", to: 30) + " "
            + MoneyText.amount(p.payment.amount, p.payment.money, l)))
    }
    out += ReportLine.wrapped(
      l.pick(
        "Cash put through accounting in the period: \(Money(minor: r.accountedCash).formatted(l)) (not on the statement, not compared).",
        "Наличные в учёте за период: \(Money(minor: r.accountedCash).formatted(l)) (их нет в выписке, не сравниваются)."
      ), width: width, .dim)
    return out
  }

  func draw(_ canvas: inout Canvas, top areaTop: Int, rows: Int, width: Int) {
    guard rows > 0, width > 4 else { return }
    let r = report
    var col = canvas.put(
      areaTop, 1, l.pick("Reconciliation", "Сверка"), .bold, maxWidth: width - 2)
    col = canvas.put(
      areaTop, col, " · " + day(r.from) + " – " + day(r.to) + " · ", .plain,
      maxWidth: max(0, width - col - 1))
    col = canvas.put(
      areaTop, col,
      r.agrees ? l.pick("agrees", "сходится") : l.pick("differences", "есть расхождения"),
      r.agrees ? Style(bold: true, color: .green) : Style(bold: true, color: .red),
      maxWidth: max(0, width - col - 1))
    guard rows > 1 else { return }
    canvas.put(areaTop + 1, 1, file, .dim, maxWidth: width - 2)
    scroll.draw(&canvas, bodyTop: areaTop + 2, rows: rows - 2, width: width) { lines($0) }
  }

  func handle(_ key: Key, app: App) {
    let action = keys.action(for: key)
    if scroll.move(action) { return }
    switch action {
    case .back: app.pop()
    case .reconcile:
      app.pop()
      if let reports = app.current as? ReportsScreen { reports.reconcile(app: app) }
    default: break
    }
  }
}
