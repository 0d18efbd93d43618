"""Run the pipeline's command line: `python run_pipeline.py --help`."""

from pipeline.cli import main

if __name__ == "__main__":
    main()
