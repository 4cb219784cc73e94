# penal_table.R: what the penalised-coxph golden scripts share: the call of a case and R's printed
# coefficient table (print.coxph.penal). Sourced by make_golden_frailty.R, make_golden_pspline.R and
# make_golden_penal_robust.R.

# The text of coxph(formula, data = data_name, ties, weights = weights[, robust = FALSE]) and its fit,
# evaluated where the caller's data frames are, with R's warnings collected rather than printed.
penal_coxph <- function(formula, data_name, ties, weights = NULL, naive = FALSE) {
  call_text <- sprintf("coxph(%s, data = %s, ties = '%s'%s%s)", formula, data_name, ties,
                       if (is.null(weights)) "" else paste0(", weights = ", weights),
                       if (naive) ", robust = FALSE" else "")
  warns <- character()
  fit <- withCallingHandlers(eval(parse(text = call_text), envir = parent.frame()),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
  list(call_text = call_text, fit = fit, warnings = warns)
}

# R's printed table of print.coxph.penal (its print1 matrix and row names, not truncated): a
# penalised term with a printfun gives its rows (pspline: "linear" and "nonlin"), the others (ridge
# too) one row per coefficient (coef, sqrt(var), sqrt(var2), coef^2/var, 1, p).
penal_table <- function(fit) {
  pterms <- fit$pterms
  pmap <- rep(0, length(pterms))
  pmap[pterms > 0] <- seq_len(sum(pterms > 0)) * !sapply(fit$printfun, is.null)  # ridge: none
  alist <- if (is.null(fit$assign2)) fit$assign[-1] else fit$assign2
  rows <- NULL; labels <- NULL
  coef <- fit$coefficients
  for (i in seq_along(pterms)) {
    kk <- alist[[i]]
    if (pmap[i] > 0) {
      j <- pmap[i]
      tab <- if (pterms[i] == 2) fit$printfun[[j]](fit$frail, fit$fvar, , fit$df[i], fit$history[[j]])
             else fit$printfun[[j]](coef[kk], fit$var[kk, kk], fit$var2[kk, kk], fit$df[i],
                                    fit$history[[j]])
      rows <- rbind(rows, tab$coef)
      labels <- c(labels, if (is.matrix(tab$coef)) paste(names(pterms)[i],
                                                           rownames(tab$coef), sep = ", ")
                          else names(pterms)[i])
    } else {
      v <- diag(fit$var)[kk]; chisq <- coef[kk]^2 / v
      rows <- rbind(rows, cbind(coef[kk], sqrt(v), sqrt(diag(fit$var2)[kk]), chisq, 1,
                                pchisq(chisq, 1, lower.tail = FALSE)))
      labels <- c(labels, names(coef)[kk])
    }
  }
  list(rows = unname(rows), labels = labels)
}
