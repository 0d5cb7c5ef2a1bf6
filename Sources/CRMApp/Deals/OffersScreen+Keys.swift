import CRMCore
import TerminalUI

extension OffersScreen {
  nonisolated static let keyTitle = (en: "Offers of a deal", ru: "КП по сделке")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind([.enter], .open, l.pick("open the offer", "открыть КП"), l.pick("open", "открыть")),
      bind(
        [.char("a")], .add, l.pick("new draft offer", "новый черновик КП"),
        l.pick("new", "новое")),
      bind(
        [.char("C")], .copyOffer,
        l.pick("copy the offer to a new draft", "скопировать КП в новый черновик"),
        l.pick("copy", "копия")),
      bind(
        [.char("s")], .markSent,
        l.pick(
          "mark the draft sent (asks; logs an e-mail)",
          "отметить черновик отправленным (с подтверждением; запишет письмо)")),
      bind(
        [.char("d")], .delete,
        l.pick("delete the draft (asks first)", "удалить черновик (с подтверждением)")),
      SharedKeys.reload(l),
      SharedKeys.back(l),
    ] + DocumentPDFFlow.keys(l, what: "the selected offer", "выбранное КП")
  }
}
