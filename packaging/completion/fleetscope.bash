# bash completion for fleetscope                                  -*- shell-script -*-
# Installed as share/bash-completion/completions/fleetscope. Keep the option lists in step with
# `fleetscope --help`, `fleetscope report --help` and `fleetscope check-metrics --help`:
# tests/packaging checks that every option they list completes.

_fleetscope()
{
    local cur prev words cword
    _init_completion || return

    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            report | check-metrics) command=${words[i]}; break ;;
        esac
    done

    case $command in
        report)
            # --compare BEFORE AFTER: two snapshot files.
            if [[ $prev == --compare || ${words[cword - 2]} == --compare ]]; then
                _filedir json; return
            fi
            case $prev in
                --fleet) _filedir '@(json|yaml|yml)'; return ;;
                --open) _filedir json; return ;;
                --out) _filedir '@(json|csv|pdf|png|html)'; return ;;
                --duration | --window)
                    COMPREPLY=($(compgen -W '15s 60s 2m 5m 15m 1h' -- "$cur")); return ;;
                --quantile) COMPREPLY=($(compgen -W '0.5 0.9 0.95 0.99' -- "$cur")); return ;;
                --page-size) COMPREPLY=($(compgen -W 'a4 letter' -- "$cur")); return ;;
                --prometheus-bearer-token-file | --prometheus-password-file) _filedir; return ;;
                --pricing | --metrics-listen | --vantage | --prometheus | --prometheus-*) return ;;
            esac
            COMPREPLY=($(compgen -W '--fleet --open --compare --demo --duration --out --quantile --window
                --pricing --vantage --page-size --metrics-listen --help
                --prometheus --prometheus-selector --prometheus-bearer-token-file
                --prometheus-user --prometheus-password-file --prometheus-timeout --prometheus-step' -- "$cur"))
            return
            ;;
        check-metrics)
            case $prev in
                --format) COMPREPLY=($(compgen -W 'prometheus openmetrics auto' -- "$cur")); return ;;
                --max-*) return ;;
            esac
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--format --dump --verbose --max-body-bytes
                    --max-samples --max-families --max-line-bytes --max-labels
                    --max-label-name-bytes --max-label-value-bytes --help' -- "$cur"))
            else
                _filedir
            fi
            return
            ;;
    esac

    if [[ $prev == --compare || ${words[cword - 2]} == --compare ]]; then
        _filedir json; return
    fi
    case $prev in
        --fleet) _filedir '@(json|yaml|yml)'; return ;;
        --open) _filedir json; return ;;
        --screenshot) _filedir png; return ;;
        --screenshot-delay | --screenshot-size) return ;;
        --prometheus-bearer-token-file | --prometheus-password-file) _filedir; return ;;
        --prometheus | --prometheus-*) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--demo --fleet --open --compare --screenshot --screenshot-delay
            --screenshot-size --dark --version --help
            --prometheus --prometheus-selector --prometheus-bearer-token-file
                --prometheus-user --prometheus-password-file --prometheus-timeout --prometheus-step' -- "$cur"))
    elif ((cword == 1)); then
        COMPREPLY=($(compgen -W 'report check-metrics' -- "$cur"))
    fi
} &&
    complete -F _fleetscope fleetscope

# ex: filetype=sh
