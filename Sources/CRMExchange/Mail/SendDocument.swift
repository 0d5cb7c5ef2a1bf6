import CRMCore
import Foundation

/// The file a sent document carries: its PDF (`crm … print --pdf`), byte for byte, from the
/// legal entity it comes from. The one place that decides it.
public enum DocumentFile {
  /// The printed form of the document as the client receives it: a draft invoice is sent
  /// issued (the send issues it), so it never carries the «ЧЕРНОВИК» mark. Refused, naming the
  /// field and the admins, while a requisite the form shows is missing or invalid.
  public static func form(_ kind: SentDocumentKind, _ id: Int64, context: ServiceContext)
    throws(CRMError) -> DocumentForm
  {
    switch kind {
    case .offer: return try DocumentForm.load(.offer, id: id, context: context)
    case .invoice: return try DocumentForm.load(.invoice, id: id, context: context, asIssued: true)
    case .act: return try DocumentForm.load(.act, id: id, context: context)
    }
  }

  /// The document's file: its name (`Счёт № 12 от 08.12.2026.pdf`), type and bytes.
  public static func make(
    _ kind: SentDocumentKind, _ id: Int64, form: DocumentForm, context: ServiceContext
  ) throws(CRMError) -> AttachmentFile {
    let l = context.language
    let (number, date): (String, String)
    switch kind {
    case .offer:
      guard let d = try context.offers.offer(id) else {
        throw .notFound(what: kind.name(l), id: id)
      }
      (number, date) = (d.offer.number, d.offer.date)
    case .invoice:
      guard let d = try context.money.invoice(id) else {
        throw .notFound(what: kind.name(l), id: id)
      }
      (number, date) = (d.invoice.number, d.invoice.date)
    case .act:
      guard let d = try context.money.act(id) else { throw .notFound(what: kind.name(l), id: id) }
      (number, date) = (d.act.number, d.act.date)
    }
    let pdf: Data
    do { pdf = try DocumentPDF.render(form) } catch {
      throw .other(l.pick("the PDF could not be made: ", "PDF не удалось сделать: ") + "\(error)")
    }
    return AttachmentFile(
      name: fileName(kind, number: number, date: date, l) + ".pdf", mime: "application/pdf",
      data: pdf)
  }

  /// `Счёт № 12 от 08.12.2026` / `Invoice 12 of 2026-12-08`, safe as a file name.
  public static func fileName(_ kind: SentDocumentKind, number: String, date: String, _ l: Language)
    -> String
  {
    let title: String
    switch kind {
    case .offer: title = l.pick("Offer", "КП")
    case .invoice: title = l.pick("Invoice", "Счёт")
    case .act: title = l.pick("Act", "Акт")
    }
    let day = OfferService.displayDay(date, l)
    let name =
      l.pick("\(title) \(number)", "\(title) № \(number)")
      + (day.isEmpty ? "" : l.pick(" of \(day)", " от \(day)"))
    return String(
      TextFold.sanitizeLine(name).map { "/\\:*?\"<>|".contains($0) ? "-" : $0 })
  }
}

/// The subject and text of a sent document's message, per language and kind.
public enum SendTemplate {
  /// `Счёт № 12 от 08.12.2026 — ООО «Ромашка»`.
  public static func subject(_ plan: SendPlan, company: String, _ l: Language) -> String {
    let day = OfferService.displayDay(plan.date, l)
    let what: String
    switch plan.kind {
    case .offer:
      what = l.pick(
        "Commercial offer No. \(plan.number)", "Коммерческое предложение № \(plan.number)")
    case .invoice: what = l.pick("Invoice No. \(plan.number)", "Счёт на оплату № \(plan.number)")
    case .act: what = l.pick("Act No. \(plan.number)", "Акт № \(plan.number)")
    }
    return what + (day.isEmpty ? "" : l.pick(" of \(day)", " от \(day)"))
      + (company.isEmpty ? "" : " — \(company)")
  }

  /// The body: a greeting by name, one sentence on the document and its amount, the signature.
  public static func body(
    _ plan: SendPlan, to: MailRecipient, sender: String, company: String, _ l: Language
  ) -> String {
    let greeting =
      to.personId != nil && !to.name.isEmpty
      ? l.pick("Hello, \(to.name)!", "Здравствуйте, \(to.name)!")
      : l.pick("Hello!", "Здравствуйте!")
    let day = OfferService.displayDay(plan.date, l)
    let of = day.isEmpty ? "" : l.pick(" of \(day)", " от \(day)")
    var text: String
    switch plan.kind {
    case .offer:
      text = l.pick(
        "Please find attached our commercial offer No. \(plan.number)\(of) for \(plan.total).\n\n"
          + "We will be glad to answer your questions and will call you in a few days.",
        "Направляем вам коммерческое предложение № \(plan.number)\(of) на сумму \(plan.total).\n\n"
          + "Будем рады ответить на вопросы; через несколько дней мы вам позвоним.")
    case .invoice:
      let due = OfferService.displayDay(plan.dueDate, l)
      text = l.pick(
        "Please find attached invoice No. \(plan.number)\(of) for \(plan.total)"
          + (due.isEmpty ? "." : ", due by \(due)."),
        "Направляем счёт на оплату № \(plan.number)\(of) на сумму \(plan.total)"
          + (due.isEmpty ? "." : ", срок оплаты — до \(due)."))
      text += l.pick(
        "\n\nPlease state the invoice number in the payment purpose.",
        "\n\nПожалуйста, укажите номер счёта в назначении платежа.")
    case .act:
      text = l.pick(
        "Please find attached act No. \(plan.number)\(of) for \(plan.total). Please sign it and "
          + "send us a signed copy.",
        "Направляем акт № \(plan.number)\(of) на сумму \(plan.total). Просим подписать его и "
          + "вернуть нам подписанный экземпляр.")
    }
    var signature = [l.pick("Best regards,", "С уважением,")]
    if !sender.isEmpty { signature.append(sender) }
    if !company.isEmpty { signature.append(company) }
    return greeting + "\n\n" + text + "\n\n" + signature.joined(separator: "\n") + "\n"
  }
}

/// Sends a document by e-mail, the whole path: the plan (what may go to whom), the message
/// (template, the document's file, headers), the user's mail command, and the log. Nothing is
/// logged unless the command succeeded; `dryRun` writes the message to a file instead (through
/// `SafeFile`) and logs nothing.
public struct DocumentMailer: Sendable {
  public var context: ServiceContext
  public var config: UserConfig
  public var environment: [String: String]

  public init(context: ServiceContext, config: UserConfig, environment: [String: String]) {
    self.context = context
    self.config = config
    self.environment = environment
  }

  var l: Language { context.language }

  /// What a send did.
  public struct Outcome: Sendable {
    public var plan: SendPlan
    public var mail: SentMail
    public var message: Data
    /// Nil for a dry run.
    public var logged: SendService.Logged?
  }

  /// The recipient: `to` (an address of the client or a person, or any other valid address),
  /// else the only address there is; several without `to` is an error listing them.
  public func recipient(_ plan: SendPlan, to: String?) throws(CRMError) -> MailRecipient {
    if let to, !to.trimmingCharacters(in: .whitespaces).isEmpty {
      guard let a = MailAddress.parse(to) else {
        throw .invalid(
          field: "--to",
          problem: l.pick(
            "«\(to)» is not an e-mail address", "«\(to)» — не адрес электронной почты"))
      }
      if let known = plan.recipients.first(where: {
        $0.address.lowercased() == a.address.lowercased()
      }) {
        return known
      }
      return MailRecipient(address: a.address, name: a.name.isEmpty ? plan.clientName : a.name)
    }
    if plan.recipients.count == 1 { return plan.recipients[0] }
    let list = plan.recipients.map { "  \($0.address) — \($0.name)" }.joined(separator: "\n")
    throw .invalid(
      field: "--to",
      problem: l.pick(
        "\(plan.clientName) has several addresses; choose one with --to:\n\(list)",
        "у клиента «\(plan.clientName)» несколько адресов; выберите один через --to:\n\(list)"))
  }

  /// The sender: `mail_from` of the config file (its display name, else the user's name).
  public func sender() throws(CRMError) -> MailAddress {
    let first = config.mailFrom.map { MailAddress.firstOfList($0) }
    guard let text = first, var a = MailAddress.parse(text) else {
      throw .invalid(
        field: "mail_from",
        problem: l.pick(
          "your address is not set: add mail_from = \"Name <you@firm.ru>\" to \(UserConfig.path(environment))",
          "ваш адрес не задан: добавьте mail_from = \"Имя <you@firm.ru>\" в \(UserConfig.path(environment))"
        ))
    }
    if a.name.isEmpty { a.name = context.user?.name ?? "" }
    return a
  }

  /// Writes the message for `plan` to `recipient`.
  public func compose(
    _ plan: SendPlan, to recipient: MailRecipient,
    using random: inout some RandomNumberGenerator
  ) throws(CRMError) -> (SentMail, Data) {
    let from = try sender()
    let form = try DocumentFile.form(plan.kind, plan.documentId, context: context)
    let company = form.issuer.shortName
    let file = try DocumentFile.make(plan.kind, plan.documentId, form: form, context: context)
    let limit = try context.attachments.maxBytes()
    if file.data.count > limit {
      throw .invalid(
        field: file.name,
        problem: l.pick("is over attachment_max_mb", "больше предела attachment_max_mb"))
    }
    let thread = try context.sending.thread(clientId: plan.clientId, address: recipient.address)
    let subject = SendTemplate.subject(plan, company: company, l)
    let body = SendTemplate.body(plan, to: recipient, sender: from.name, company: company, l)
    let date = context.now
    let message = MIMEMessage(
      from: from, to: [MailAddress(name: recipient.name, address: recipient.address)],
      subject: subject, date: date, timeZone: context.timeZone,
      messageId: MIMEWriter.messageId(domain: from.domain, date: date, using: &random),
      inReplyTo: thread?.inReplyTo ?? "", references: thread?.references ?? [], body: body,
      attachments: [file], boundary: MIMEWriter.boundary(using: &random))
    let mail = SentMail(
      messageId: message.messageId, inReplyTo: message.inReplyTo,
      from: from.name.isEmpty ? from.address : "\(from.name) <\(from.address)>", to: recipient,
      subject: subject, body: body, attachment: file)
    return (mail, MIMEWriter.write(message))
  }

  /// Sends document `id` of `kind` to `to` (see `recipient`), or writes it to `dryRun`.
  public func send(
    _ kind: SentDocumentKind, _ id: Int64, to: String?, dryRun: String? = nil,
    using random: inout some RandomNumberGenerator
  ) throws(CRMError) -> Outcome {
    let plan = try context.sending.plan(kind, id)
    let recipient = try recipient(plan, to: to)
    let (mail, message) = try compose(plan, to: recipient, using: &random)
    if let dryRun {
      if dryRun != "-" { try SafeFile.write(message, to: dryRun, language: l) }
      return Outcome(plan: plan, mail: mail, message: message, logged: nil)
    }
    let command = config.mailCommand ?? UserConfig.defaultMailCommand
    let run = try SendMailCommand.run(
      command, input: message, environment: environment, language: l)
    guard run.succeeded else {
      let said = run.output.isEmpty ? "" : ":\n" + run.output
      throw .other(
        l.pick(
          "the mail command «\(command)» failed (exit \(run.status))\(said)\nNothing was sent or logged.",
          "команда отправки «\(command)» завершилась с ошибкой (код \(run.status))\(said)\nНичего не отправлено и не записано."
        ))
    }
    do {
      let logged = try context.sending.record(plan, mail)
      return Outcome(plan: plan, mail: mail, message: message, logged: logged)
    } catch {
      throw .other(
        l.pick(
          "the message \(mail.messageId) was sent to \(recipient.address), but logging it failed: \(error.message(l))",
          "письмо \(mail.messageId) отправлено на \(recipient.address), но записать его не удалось: \(error.message(l))"
        ))
    }
  }
}
