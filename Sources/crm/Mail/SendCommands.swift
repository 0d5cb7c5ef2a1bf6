import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

/// The options of `crm offer|invoice|act send`.
struct SendOptions: ParsableArguments {
  @OptionGroup var global: Global
  @Argument(help: tr("Id of the document.", "Номер документа.")) var id: Int64
  @Option(
    help: tr(
      "The address: one of the client's or its contact persons' (default: the only one there is).",
      "Адрес: один из адресов клиента или его контактных лиц (по умолчанию: единственный)."))
  var to: String?
  @Flag(
    help: tr(
      "Write the message instead of sending it; nothing is logged.",
      "Записать письмо вместо отправки; ничего не записывается в историю.")) var dryRun = false
  @Option(
    help: tr(
      "With --dry-run: the .eml file to write (default: standard output).",
      "С --dry-run: файл .eml (по умолчанию: стандартный вывод).")) var out: String?
  @OptionGroup var output: JSONOutput

  /// Sends (or writes) the document and says what was done.
  func send(_ kind: SentDocumentKind, _ session: Session) throws {
    let l = global.language
    if out != nil && !dryRun {
      throw fail(
        .invalid(field: "--out", problem: l.pick("needs --dry-run", "нужен --dry-run")), global)
    }
    if !dryRun { _ = try session.writer() }
    let mailer = DocumentMailer(
      context: session.context, config: try global.userConfig(), environment: global.env)
    var random = SystemRandomNumberGenerator()
    let outcome = try mailer.send(
      kind, id, to: to, dryRun: dryRun ? (out ?? "-") : nil, using: &random)
    if dryRun && out == nil {
      StandardOutput.write(outcome.message)
      return
    }
    let mail = outcome.mail
    if output.json {
      var o: [String: Any] = [
        "message_id": mail.messageId, "to": mail.to.address, "subject": mail.subject,
        "attachment": mail.attachment.name, "dry_run": dryRun,
      ]
      if !mail.inReplyTo.isEmpty { o["in_reply_to"] = mail.inReplyTo }
      if let logged = outcome.logged {
        o["contact_id"] = logged.contactId
        o["attachment_id"] = logged.attachmentId
      }
      printJSON(o)
      return
    }
    if let logged = outcome.logged {
      print(
        l.pick(
          "Sent \(kind.name(l)) No. \(outcome.plan.number) to \(mail.to.address) (\(mail.messageId)); e-mail contact №\(logged.contactId) logged.",
          "Отправлено: \(kind.name(l)) № \(outcome.plan.number) на \(mail.to.address) (\(mail.messageId)); записан контакт №\(logged.contactId) (e-mail)."
        ))
    } else {
      print(
        l.pick(
          "Message for \(mail.to.address) written to \(out ?? "-"); nothing sent or logged.",
          "Письмо для \(mail.to.address) записано в \(out ?? "-"); ничего не отправлено и не записано."
        ))
    }
  }
}

/// `crm offer send`, `crm invoice send`, `crm act send`.
let sendDiscussion: String = tr(
  "The message (a text from the template of the document's kind and the document attached) "
    + "goes to your mail_command (default: sendmail -t -i) from mail_from, both in "
    + "~/.config/termcrm/config.toml. On success an outgoing e-mail contact is logged with the "
    + "Message-ID, the document is marked sent (an offer becomes sent, a draft invoice is issued) "
    + "and the attached file is kept with the deal or client. On failure nothing is logged.",
  "Письмо (текст по шаблону для вида документа и сам документ во вложении) передаётся вашей "
    + "mail_command (по умолчанию sendmail -t -i) от имени mail_from — оба ключа в "
    + "~/.config/termcrm/config.toml. При успехе записывается исходящий контакт e-mail с "
    + "Message-ID, документ отмечается отправленным (КП — отправлено, черновик счёта выставляется), "
    + "а вложенный файл сохраняется в сделке или у клиента. При ошибке ничего не записывается.")

struct OfferSend: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: tr(
      "Send a draft offer by e-mail and mark it sent.",
      "Отправить черновик КП по e-mail и отметить отправленным."), discussion: sendDiscussion)
  @OptionGroup var options: SendOptions
  var global: Global { options.global }
  func run(_ session: Session) throws { try options.send(.offer, session) }
}

struct InvoiceSend: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: tr(
      "Send an invoice by e-mail (a draft is issued).",
      "Отправить счёт по e-mail (черновик выставляется)."), discussion: sendDiscussion)
  @OptionGroup var options: SendOptions
  var global: Global { options.global }
  func run(_ session: Session) throws { try options.send(.invoice, session) }
}

struct ActSend: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: tr("Send an act by e-mail.", "Отправить акт по e-mail."),
    discussion: sendDiscussion)
  @OptionGroup var options: SendOptions
  var global: Global { options.global }
  func run(_ session: Session) throws { try options.send(.act, session) }
}
