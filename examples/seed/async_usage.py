from reelgate import avideo_generation, avideo_status, avideo_retrieval
import os, asyncio

os.environ["OPENAI_API_KEY"] = "sk-.."

async def test_async_video():
    response = await avideo_generation(
        model="openai/sora-2",
        prompt="A cat playing with a ball of yarn in a sunny garden",
        seconds="8",
        size="720x1280"
    )

    print(f"Video ID: {response.id}")
    print(f"Initial Status: {response.status}")

    # Check status until video is ready
    while True:
        status_response = await avideo_status(
            video_id=response.id,
            model="openai/sora-2"
        )

        print(f"Current Status: {status_response.status}")

        if status_response.status == "completed":
            break
        elif status_response.status == "failed":
            print("Video generation failed")
            break

        await asyncio.sleep(10)  # Wait 10 seconds before checking again

    # Download video content when ready
    video_bytes = await avideo_retrieval(
        video_id=response.id,
        model="openai/sora-2"
    )

    # Save to file
    with open("generated_video.mp4", "wb") as f:
        f.write(video_bytes)

asyncio.run(test_async_video())
