import CRMCore
import TerminalUI

extension BankQueueScreen {
  nonisolated static let keyTitle = (en: "Bank queue", ru: "Очередь банка")
  nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.enter], .open,
        l.pick(
          "assign to a client (search), then to one of its unpaid invoices",
          "привязать к клиенту (поиск), затем к его неоплаченному счёту"),
        l.pick("assign", "привязать")),
      bind(
        [.char("x")], .ignore,
        l.pick(
          "set aside: not a client's money (a refund, a loan)",
          "отложить: не оплата клиента (возврат, заём)"),
        l.pick("aside", "отложить")),
      bind(
        [.char("u")], .undo,
        l.pick(
          "undo the last assign or set-aside: the payment returns to the queue",
          "отменить последнюю привязку или «отложить»: платёж вернётся в очередь"),
        l.pick("undo", "отмена")),
      SharedKeys.reload(l),
      SharedKeys.back(l),
    ]
  }
}
