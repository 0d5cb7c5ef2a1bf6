import CRMCore
import Foundation
import TerminalUI

/// The deal actions shared by the funnel and the deal card: one stage forward or back, won,
/// lost, move to any stage, add. Before a move it asks for what the target stage demands (an
/// amount for an invoice, a reason for a loss, …) and retries with `MoveExtras`, so the person
/// never sees the core's "stage needs it" error.
@MainActor
enum DealFlows {
  /// Where one step forward (`delta` 1) or back (-1) leads from the deal's stage; nil with a
  /// message when it leads nowhere.
  static func stepTarget(_ row: DealRow, by delta: Int, in p: Pipeline, _ l: Language) -> (
    Stage?, String?
  ) {
    let open = p.openStages
    guard let i = open.firstIndex(where: { $0.id == row.deal.stageId }) else {
      return (
        nil,
        l.pick(
          "The deal's stage is no longer in the pipeline; m moves it to another.",
          "Этапа сделки больше нет в воронке; m — перенести на другой.")
      )
    }
    let j = i + delta
    if j < 0 {
      return (nil, l.pick("Already at the first stage.", "Сделка уже на первом этапе."))
    }
    return (j < open.count ? open[j] : p.wonStage, nil)
  }

  /// Refuses closed deals with a hint instead of the core's message about the command line.
  static func requireOpen(_ row: DealRow, context: AppContext, app: App) -> Bool {
    guard row.deal.status != .open else { return true }
    let l = context.language
    app.flash(
      l.pick(
        "The deal is \(row.deal.status.name(l)); R in the deal card reopens it.",
        "Сделка \(row.deal.status.name(l)); R в карточке сделки открывает её заново."))
    return false
  }

  static func pipeline(of row: DealRow, context: AppContext, app: App) -> Pipeline? {
    do {
      return try context.pipelines.pipelines().first { $0.id == row.deal.pipelineId }
    } catch {
      app.report(error)
      return nil
    }
  }

  /// `>` and `<`.
  static func step(
    _ row: DealRow, by delta: Int, tab: Int, context: AppContext, app: App,
    changed: @escaping () -> Void
  ) {
    guard requireOpen(row, context: context, app: app),
      let p = pipeline(of: row, context: context, app: app)
    else { return }
    let (target, problem) = stepTarget(row, by: delta, in: p, context.language)
    guard let target else {
      if let problem { app.flash(problem) }
      return
    }
    let go = {
      move(
        row, to: target, tab: tab, context: context, app: app,
        perform: { extras throws(CRMError) in
          try context.deals.step(row.id, by: delta, extras: extras)
        }, changed: changed)
    }
    if target.kind == .won {
      confirmWon(row, context: context, app: app, onYes: go)
    } else {
      go()
    }
  }

  static func confirmWon(
    _ row: DealRow, context: AppContext, app: App, onYes: @escaping () -> Void
  ) {
    let l = context.language
    app.ask(
      l.pick("Won", "Выигрыш"),
      l.pick("Mark «\(row.deal.title)» won?", "Отметить «\(row.deal.title)» выигранной?"),
      onYes: onYes)
  }

  /// `w`.
  static func won(
    _ row: DealRow, tab: Int, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    guard requireOpen(row, context: context, app: app),
      let p = pipeline(of: row, context: context, app: app), let target = p.wonStage
    else { return }
    confirmWon(row, context: context, app: app) {
      move(row, to: target, tab: tab, context: context, app: app, changed: changed)
    }
  }

  /// `x`: always asks the reason, from the lost-reasons list in the user's language.
  static func lost(
    _ row: DealRow, tab: Int, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    guard requireOpen(row, context: context, app: app),
      let p = pipeline(of: row, context: context, app: app), let target = p.lostStage
    else { return }
    askLostReason(row, tab: tab, context: context, app: app) { reason, app in
      move(
        row, to: target, tab: tab, context: context, app: app,
        extras: MoveExtras(lostReason: reason), changed: changed)
    }
  }

  static func askLostReason(
    _ row: DealRow, tab: Int, context: AppContext, app: App,
    then: @escaping (String, App) -> Void
  ) {
    let l = context.language
    let reasons: [Choice]
    do { reasons = try context.pipelines.lostReasons() } catch {
      app.report(error)
      return
    }
    app.push(
      PickerScreen.fixed(
        tab: tab, context: context,
        title: l.pick("Lost: ", "Проиграна: ") + row.deal.title,
        prompt: l.pick("Why was it lost?", "Почему проиграна?"),
        items: reasons.map { PickItem(key: $0.key, label: $0.name(l)) },
        cancelMessage: l.pick("The deal stays open.", "Сделка осталась открытой.")
      ) { item, app in then(item.key, app) })
  }

  /// `m`: every stage of the pipeline but the current one.
  static func pickStage(
    _ row: DealRow, tab: Int, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    guard requireOpen(row, context: context, app: app),
      let p = pipeline(of: row, context: context, app: app)
    else { return }
    let l = context.language
    let items = p.stages.filter { $0.id != row.deal.stageId }.map { s in
      PickItem(
        key: s.key, label: s.name(l),
        detail: s.kind == .open
          ? l.pick("\(s.probability) %", "\(s.probability) %")
          : s.kind == .won
            ? l.pick("closes: won", "закрывает: выиграна")
            : l.pick("closes: lost", "закрывает: проиграна"))
    }
    app.push(
      PickerScreen.fixed(
        tab: tab, context: context,
        title: l.pick("Move: ", "Перенести: ") + row.deal.title,
        prompt: l.pick(
          "To which stage? Now: \(row.stage.name(l)).",
          "На какой этап? Сейчас: \(row.stage.name(l))."
        ),
        items: items, cancelMessage: l.pick("Not moved.", "Не перенесено.")
      ) { item, app in
        guard let target = p.stages.first(where: { $0.key == item.key }) else { return }
        switch target.kind {
        case .lost:
          askLostReason(row, tab: tab, context: context, app: app) { reason, app in
            move(
              row, to: target, tab: tab, context: context, app: app,
              extras: MoveExtras(lostReason: reason), changed: changed)
          }
        case .won:
          confirmWon(row, context: context, app: app) {
            move(row, to: target, tab: tab, context: context, app: app, changed: changed)
          }
        case .open:
          move(row, to: target, tab: tab, context: context, app: app, changed: changed)
        }
      })
  }

  /// The first field `target` demands that neither the deal nor `extras` has.
  static func missing(_ row: DealRow, _ target: Stage, _ extras: MoveExtras) -> DealField? {
    let d = row.deal
    for case .require(let field) in target.actions {
      switch field {
      case .amount where extras.amount == nil && d.amount <= 0: return field
      case .lostReason where extras.lostReason == nil && d.lostReason.isEmpty: return field
      case .expectedClose where extras.expectedClose == nil && d.expectedClose.isEmpty:
        return field
      case .person where extras.personId == nil && d.personId == nil: return field
      case .source where extras.source == nil && d.source.isEmpty: return field
      default: continue
      }
    }
    return nil
  }

  /// Moves `row` to `target` (by `perform`, `move(to: key)` by default), first asking for each
  /// field the stage demands, one at a time.
  static func move(
    _ row: DealRow, to target: Stage, tab: Int, context: AppContext, app: App,
    extras: MoveExtras = MoveExtras(),
    perform: ((MoveExtras) throws(CRMError) -> MoveResult)? = nil,
    changed: @escaping () -> Void
  ) {
    let l = context.language
    let again: (MoveExtras, App) -> Void = { extras, app in
      move(
        row, to: target, tab: tab, context: context, app: app, extras: extras, perform: perform,
        changed: changed)
    }
    if let field = missing(row, target, extras) {
      let why = l.pick(
        "«\(target.name(l))» needs this to move the deal there.",
        "Этап «\(target.name(l))» требует это поле, чтобы перенести сделку.")
      switch field {
      case .amount, .expectedClose:
        app.push(
          RequirementFormScreen(
            tab: tab, context: context, row: row, field: field, note: why, extras: extras,
            then: again))
      case .lostReason:
        askLostReason(row, tab: tab, context: context, app: app) { reason, app in
          var e = extras
          e.lostReason = reason
          again(e, app)
        }
      case .source:
        let sources = (try? context.pipelines.leadSources()) ?? []
        app.push(
          PickerScreen.fixed(
            tab: tab, context: context, title: why, prompt: DealField.source.name(l),
            items: sources.map { PickItem(key: $0.key, label: $0.name(l)) },
            cancelMessage: l.pick("Not moved.", "Не перенесено.")
          ) { item, app in
            var e = extras
            e.source = item.key
            again(e, app)
          })
      case .person:
        let persons = (try? context.clients.persons(of: row.deal.clientId)) ?? []
        if persons.isEmpty {
          app.flash(
            l.pick(
              "«\(target.name(l))» needs a contact person; add one in the client card (a).",
              "Этап «\(target.name(l))» требует контактное лицо; добавьте его в карточке клиента (a)."
            ), error: true)
          return
        }
        app.push(
          PickerScreen.fixed(
            tab: tab, context: context, title: why, prompt: DealField.person.name(l),
            items: persons.map {
              PickItem(key: "\($0.id ?? 0)", label: $0.name, detail: $0.position)
            },
            cancelMessage: l.pick("Not moved.", "Не перенесено.")
          ) { item, app in
            var e = extras
            e.personId = Int64(item.key)
            again(e, app)
          })
      }
      return
    }
    do {
      let result =
        try perform?(extras) ?? context.deals.move(row.id, to: target.key, extras: extras)
      app.flash(describe(result, title: row.deal.title, context: context))
      changed()
    } catch {
      app.report(error)
    }
  }

  /// "«Поставка» → КП отправлено; звонок на 26.11.2026 10:00; черновик КП."
  static func describe(_ r: MoveResult, title: String, context: AppContext) -> String {
    let l = context.language
    var parts = ["«\(title)» → \(r.stage.name(l))"]
    // Planned contacts first: they are what the manager has to do next.
    for e in r.events.filter({ $0.contactId != nil }) + r.events.filter({ $0.contactId == nil }) {
      if let id = e.contactId, let c = try? context.contacts.contact(id)?.contact {
        let when = c.dueAt.map(context.formats.dateTime) ?? ""
        parts.append(
          l.pick("\(c.kind.name(l)) planned for \(when)", "\(c.kind.name(l)) на \(when)"))
      } else if let id = e.offerId {
        parts.append(l.pick("offer draft №\(id)", "черновик КП №\(id)"))
      }
    }
    return parts.joined(separator: "; ") + "."
  }

  /// `a` on the funnel: pick the client (search as you type over the client base), then the
  /// deal form.
  static func pickClientAndAdd(
    pipeline: Pipeline?, tab: Int, context: AppContext, app: App, changed: @escaping () -> Void
  ) {
    let l = context.language
    app.push(
      PickerScreen.clients(
        tab: tab, context: context, title: l.pick("New deal: the client", "Новая сделка: клиент"),
        cancelMessage: l.pick("No deal added.", "Сделка не добавлена.")
      ) { item, app in
        guard let id = Int64(item.key) else { return }
        add(
          client: id, name: item.label, pipeline: pipeline, tab: tab, context: context, app: app,
          changed: changed)
      })
  }

  /// The deal form for a new deal of `client`.
  static func add(
    client: Int64, name: String, pipeline: Pipeline? = nil, tab: Int, context: AppContext,
    app: App, changed: @escaping () -> Void
  ) {
    guard context.user != nil else {
      app.flash(context.language.pick("No acting user.", "Нет пользователя."), error: true)
      return
    }
    app.push(
      DealFormScreen(
        tab: tab, context: context,
        deal: Deal(pipelineId: pipeline?.id ?? 0, clientId: client, title: ""), clientName: name,
        onSaved: changed))
  }
}

/// Asks for a field a stage demands (an amount with its currency, or the expected close date),
/// then continues the move.
@MainActor
final class RequirementFormScreen: FormScreen {
  let row: DealRow
  let field: DealField
  let extras: MoveExtras
  let then: (MoveExtras, App) -> Void

  init(
    tab: Int, context: AppContext, row: DealRow, field: DealField, note: String,
    extras: MoveExtras, then: @escaping (MoveExtras, App) -> Void
  ) {
    self.row = row
    self.field = field
    self.extras = extras
    self.then = then
    let l = context.language
    let d = context.deals
    var fields: [FormField] = []
    switch field {
    case .amount:
      fields = [
        FormField(
          key: "amount", label: d.fieldName("amount"),
          note: l.pick("1000, 12 500.50", "1000, 12 500,50")),
        FormField(
          key: "currency", label: d.fieldName("currency"), value: row.deal.currency,
          note: "RUB, USD, EUR, CNY…"),
      ]
    default:
      fields = [
        FormField(
          key: "expected_close", label: d.fieldName("expected_close"),
          note: l.pick("2026-12-31, +30d", "31.12.2026, +30d"))
      ]
    }
    super.init(
      context: context, form: Form(title: row.deal.title + " — " + field.name(l), fields: fields),
      tab: tab)
    warnings = [note]
  }

  override var cancelMessage: String { context.language.pick("Not moved.", "Не перенесено.") }

  override func submit(app: App) -> Bool {
    let d = context.deals
    var e = extras
    do {
      switch field {
      case .amount:
        let currency = try Currency.parse(
          form.value("currency"), language: context.language, field: d.fieldName("currency"))
        let money = try Money.parse(
          form.value("amount"), currency: currency, language: context.language,
          field: d.fieldName("amount"))
        if money.minor <= 0 {
          form.setError(
            "amount", context.language.pick("more than zero, please", "нужна сумма больше нуля"))
          return false
        }
        e.amount = money
      default:
        let text = form.value("expected_close").trimmingSpaces()
        if text.isEmpty {
          form.setError("expected_close", context.language.pick("when?", "когда?"))
          return false
        }
        _ = try readWhen(text, context, field: d.fieldName("expected_close"))
        e.expectedClose = text
      }
    } catch {
      show(error, app: app)
      return false
    }
    app.pop()
    then(e, app)
    return false
  }
}
