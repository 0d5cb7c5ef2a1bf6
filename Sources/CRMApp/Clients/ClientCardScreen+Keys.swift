import CRMCore
import TerminalUI

extension ClientCardScreen {
  public nonisolated static let keyTitle = (en: "Client card", ru: "Карточка клиента")
  public nonisolated static func ownKeys(_ l: Language) -> [KeyBinding<Action>] {
    [
      bind(
        [.tab], .nextTab,
        l.pick(
          "requisites / persons / contacts / history / deals / money / mail / files",
          "реквизиты / лица / контакты / история / сделки / деньги / почта / файлы"),
        l.pick("section", "раздел")),
      bind(
        [.char("l")], .log,
        l.pick("log a contact (then its kind)", "записать контакт (затем вид)"),
        l.pick("log", "контакт")),
      bind(
        [.char("p")], .plan, l.pick("plan a contact", "запланировать контакт"),
        l.pick("plan", "план")),
      bind(
        [.char("D")], .addDeal, l.pick("add a deal for the client", "добавить сделку клиенту"),
        l.pick("deal", "сделка")),
      bind(
        [.char("e")], .edit, l.pick("edit the client or the person", "изменить клиента или лицо"),
        l.pick("edit", "изменить")),
      bind(
        [.char("a")], .add, l.pick("add a contact person", "добавить контактное лицо"),
        l.pick("person", "лицо")),
      bind(
        [.enter], .open,
        l.pick(
          "open the selected person, contact, deal, invoice, e-mail's contact or file",
          "открыть выбранное лицо, контакт, сделку, счёт, контакт письма или файл"
        )),
      bind(
        [.char("i")], .invoice,
        l.pick(
          "money: new invoice (contract or none, sum, VAT, due, item)",
          "деньги: новый счёт (договор или без, сумма, НДС, срок, наименование)"),
        l.pick("invoice", "счёт")),
      bind(
        [.char("$"), .char(";")], .payment,
        l.pick(
          "money: record a payment (; is $ in the Russian layout)",
          "деньги: записать оплату (; — это $ в русской раскладке)"),
        l.pick("payment", "оплата")),
      bind(
        [.char("K")], .contract,
        l.pick("money: new contract", "деньги: новый договор")),
      bind(
        [.char("A")], .act,
        l.pick(
          "money: an act from the selected invoice, or for the selected contract",
          "деньги: акт по выбранному счёту или договору")),
      bind(
        [.char("c")], .cancelDocument,
        l.pick(
          "money: cancel the selected invoice or act (asks first)",
          "деньги: отменить выбранный счёт или акт (с подтверждением)")),
    ]
      + DocumentPDFFlow.keys(
        l, what: "money: the selected invoice or act", "деньги: выбранный счёт или акт") + [
        bind(
          [.char("d")], .delete,
          l.pick(
            "persons: delete (asks first); contacts: mark the planned one done",
            "лица: удалить (с подтверждением); контакты: отметить выполненным")),
        bind(
          [.char("x")], .cancelContact,
          l.pick(
            "contacts: cancel the selected planned contact (asks first)",
            "контакты: отменить выбранный запланированный контакт (с подтверждением)")),
        SharedKeys.undo(l),
        bind(
          [.char("M")], .mailThread,
          l.pick(
            "the client's mail: logged messages and the text of the selected one",
            "почта клиента: записанные письма и текст выбранного"),
          l.pick("mail", "почта")),
        bind(
          [.char("F")], .files,
          l.pick(
            "the client's files; in Files, open the selected one (opener in your config file)",
            "файлы клиента; в разделе «Файлы» — открыть выбранный (opener в файле настроек)"),
          l.pick("files", "файлы")),
        bind(
          [.char("h")], .audit,
          l.pick(
            "the audit log of this client (who changed what)",
            "журнал изменений клиента (кто что менял)")),
        bind(
          [.char("q"), .escape], .back, l.pick("back to the list", "назад к списку"),
          l.pick("back", "назад")),
      ]
  }
}
