# bash completion for fleetsim                                    -*- shell-script -*-
# Installed as share/bash-completion/completions/fleetsim. Keep the options in step with
# `fleetsim --help`: tests/packaging checks that every option it lists completes.

_fleetsim()
{
    local cur prev words cword
    _init_completion || return

    case $prev in
        --port-file) _filedir json; return ;;
        --listen) COMPREPLY=($(compgen -W '127.0.0.1 0.0.0.0 ::1' -- "$cur")); return ;;
        --time-scale) COMPREPLY=($(compgen -W '1 60 720 1440' -- "$cur")); return ;;
        --fault)
            if [[ $cur == *=* ]]; then
                local node=${cur%%=*}
                COMPREPLY=($(compgen -P "$node=" -W 'none down slow: hung flapping: malformed
                    truncated oversized: reset' -- "${cur#*=}"))
                compopt -o nospace
            fi
            return
            ;;
        --nodes | --regions | --primary | --port | --seed | --start-time | --control-port) return ;;
    esac
    COMPREPLY=($(compgen -W '--nodes --regions --primary --listen --port --port-file --seed
        --time-scale --start-time --fault --control-port --no-control --help --version' -- "$cur"))
} &&
    complete -F _fleetsim fleetsim

# ex: filetype=sh
