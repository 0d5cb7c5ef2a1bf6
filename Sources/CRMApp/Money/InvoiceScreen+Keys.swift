import CRMCore
import TerminalUI

extension InvoiceScreen {
  nonisolated static let keyTitle = (en: "Invoice", ru: "Счёт")
  nonisolated static let keyGroups: [KeyGroup] = [.common, .scroll, .pages]
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("$"), .char(";")], .payment,
        l.pick("record a payment of this invoice", "записать оплату этого счёта"),
        l.pick("payment", "оплата")),
      bind(
        [.char("A")], .act, l.pick("an act from this invoice", "акт по этому счёту"),
        l.pick("act", "акт")),
      bind(
        [.char("m")], .sendMail,
        l.pick(
          "send by e-mail: choose the address (your mail_command)",
          "отправить по e-mail: выбрать адрес (ваша mail_command)"),
        l.pick("mail", "письмо")),
      bind(
        [.char("c")], .cancelDocument,
        l.pick("cancel the invoice (asks first)", "отменить счёт (с подтверждением)")),
      SharedKeys.back(l),
    ] + DocumentPDFFlow.keys(l, what: "this invoice", "этот счёт")
  }
}
