import CRMCore
import TerminalUI

extension OfferScreen {
  nonisolated static let keyTitle = (en: "Offer", ru: "КП")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.char("a")], .add,
        l.pick("add goods or a service below the selected line", "добавить товар или услугу ниже"),
        l.pick("line", "строка")),
      bind(
        [.char("%")], .discount,
        l.pick(
          "add a discount below: a percent of the lines above or an amount",
          "добавить скидку ниже: процент от строк выше или сумма"),
        l.pick("discount", "скидка")),
      bind(
        [.char("e"), .enter], .edit, l.pick("edit the selected line", "изменить строку"),
        l.pick("edit", "изменить")),
      bind(
        [.char("d")], .delete,
        l.pick("remove the selected line (asks first)", "удалить строку (с подтверждением)")),
      bind(
        [.char("c")], .copy,
        l.pick("copy the selected line below it", "скопировать строку ниже неё")),
      bind(
        [.char("J"), .char("K")], .reorder,
        l.pick("move the line down / up", "переместить строку ниже / выше")),
      bind(
        [.char("h")], .offerHeader,
        l.pick(
          "header: number, date, valid until, VAT mode, notes",
          "шапка: номер, дата, срок действия, НДС, заметки")),
      bind(
        [.char("C")], .copyOffer,
        l.pick(
          "copy the whole offer to a new draft and open it",
          "скопировать КП в новый черновик и открыть его"),
        l.pick("copy", "копия")),
      bind(
        [.char("s")], .markSent,
        l.pick("mark sent (asks; the offer freezes)", "отметить отправленным (спросит; КП замрёт)")),
      bind(
        [.char("m")], .sendMail,
        l.pick(
          "send by e-mail: choose the address (your mail_command)",
          "отправить по e-mail: выбрать адрес (ваша mail_command)"),
        l.pick("mail", "письмо")),
      bind(
        [.char("X")], .cancelDocument,
        l.pick("delete this draft (asks first)", "удалить этот черновик (с подтверждением)")),
      SharedKeys.back(l),
    ] + DocumentPDFFlow.keys(l, what: "this offer", "это КП")
  }
}
